"""Builds the HL7 v2 benchmark mix from the shared corpus: every message of every valid file, line endings
normalised to CR (the peers expect CR), BOM removed. Sinew's benchmark builds the same mix in-process (HL7v2Mix.cs)."""
import os
import re
import sys

def build(corpus):
    folder = os.path.join(corpus, "hl7v2")
    messages = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            continue
        data = open(path, "rb").read()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        data = data.replace(b"\r\n", b"\r").replace(b"\n", b"\r")
        for part in re.split(b"\r(?=MSH)", data):
            part = part.strip(b"\r \t")
            if part.startswith(b"MSH"):
                messages.append(part + b"\r")
    return messages

if __name__ == "__main__":
    msgs = build(sys.argv[1])
    with open(sys.argv[2], "wb") as out:
        out.write(b"\x1c".join(msgs))
    print(f"mix: {len(msgs)} messages, {sum(len(m) for m in msgs)} bytes")
