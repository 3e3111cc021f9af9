#!/usr/bin/python3
"""MLLP receiver built on python3-hl7 (hl7.mllp) that answers every message with an AA ACK.

Prints the bound port on the first line of stdout, then serves until killed.
Usage: ack_peer.py [port] [out-folder]
  port 0, the default, picks a free one;
  out-folder, when given, receives each message's bytes exactly as framed, as 000001.hl7, 000002.hl7, ...
  (written to a temporary name and renamed, so a reader never sees half a file).
"""
import asyncio
import itertools
import os
import sys

import hl7
from hl7.mllp import start_hl7_server

counter = itertools.count(1)


def keep(folder, block):
    name = os.path.join(folder, "%06d.hl7" % next(counter))
    with open(name + ".tmp", "wb") as f:
        f.write(block)
    os.rename(name + ".tmp", name)


def handler(folder):
    async def answer(reader, writer):
        try:
            while not writer.is_closing():
                block = await reader.readblock()
                if folder:
                    keep(folder, block)
                message = hl7.parse(block.decode(reader.encoding, reader.encoding_errors))
                writer.writemessage(message.create_ack())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    return answer


async def main(port, folder):
    server = await start_hl7_server(handler(folder), host="127.0.0.1", port=port)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, sys.argv[2] if len(sys.argv) > 2 else None))
