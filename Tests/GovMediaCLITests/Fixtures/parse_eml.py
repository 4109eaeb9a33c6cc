"""Reads an .eml the way a mail client would (Python's email package, default policy)
and prints what the tests check as JSON: decoded headers, parts, attachment hashes."""
import email
import email.policy
import hashlib
import json
import sys

raw = open(sys.argv[1], "rb").read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
parts = []
for part in msg.walk():
    if part.is_multipart():
        continue
    payload = part.get_payload(decode=True)
    parts.append({
        "content_type": part.get_content_type(),
        "charset": part.get_content_charset(),
        "filename": part.get_filename(),
        "disposition": part.get_content_disposition(),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "text": payload.decode("utf-8") if part.get_content_type() == "text/plain" else None,
        "defects": [str(d) for d in part.defects],
    })
lines = raw.split(b"\r\n")
print(json.dumps({
    "subject": str(msg["subject"]),
    "raw_subject": msg.get("subject").__class__.__name__,
    "from": str(msg["from"]),
    "to": [str(a) for a in msg["to"].addresses] if msg["to"] else [],
    "message_id": str(msg["message-id"]),
    "date": str(msg["date"]),
    "content_type": msg.get_content_type(),
    "parts": parts,
    "defects": [str(d) for d in msg.defects],
    "header_names": list(msg.keys()),
    "max_line": max(len(l) for l in lines),
    "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
}, ensure_ascii=False))
