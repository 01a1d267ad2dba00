"""schemathesis hooks for scripts/openapi-fuzz.py (loaded through SCHEMATHESIS_HOOKS).

tus PATCH bodies are `application/offset+octet-stream`: raw bytes, serialised as schemathesis does
`application/octet-stream`.
"""
import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
