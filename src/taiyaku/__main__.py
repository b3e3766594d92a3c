from taiyaku.cli import cli

cli()
