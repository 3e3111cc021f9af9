#!/usr/bin/python3
"""MLLP receiver built on python3-hl7 (hl7.mllp) that answers every message with an AA ACK.

Prints the bound port on the first line of stdout, then serves until killed.
Usage: ack_peer.py [port]   (port 0, the default, picks a free one)
"""
import asyncio
import sys

import hl7
from hl7.mllp import start_hl7_server


async def answer(reader, writer):
    try:
        while not writer.is_closing():
            message = await reader.readmessage()
            writer.writemessage(message.create_ack())
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port):
    server = await start_hl7_server(answer, host="127.0.0.1", port=port)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
