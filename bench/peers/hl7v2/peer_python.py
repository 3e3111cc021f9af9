"""python3-hl7 (Debian) on the mix: parse and read MSH-9, PID-3.1, PID-5.1, single thread."""
import sys
import time
import hl7

def run(texts):
    failures = 0
    for text in texts:
        try:
            m = hl7.parse(text)
            str(m.segment("MSH")[9])
            try:
                pid = m.segment("PID")
                str(pid[3][0][0])
                str(pid[5][0][0])
            except KeyError:
                pass
        except Exception:
            failures += 1
    return failures

texts = open(sys.argv[1], "rb").read().decode("latin-1").split("\x1c")
failures = run(texts)
start = time.perf_counter()
done = 0
while time.perf_counter() - start < float(sys.argv[2]):
    run(texts)
    done += len(texts)
elapsed = time.perf_counter() - start
print(f"python3-hl7 {hl7.__version__ if hasattr(hl7, '__version__') else ''}\t{done / elapsed:.0f} msg/s\t{elapsed / done * 1e6:.1f} us/msg\tfailures/pass {failures}")
