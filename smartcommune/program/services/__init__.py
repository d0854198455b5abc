"""Writes on the programme, one module per area: `from smartcommune.program.services import budget`."""
