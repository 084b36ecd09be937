"""The factsheet: figures with their sources, drawn as accessible server-made charts."""
