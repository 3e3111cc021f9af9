// Node peers on the mix: parse and read MSH-9, PID-3.1, PID-5.1, single thread.
const fs = require('fs');
const { Hl7Message } = require('@medplum/core');
const HL7 = require('hl7-standard');
const { Message } = require('node-hl7-client');

const texts = fs.readFileSync(process.argv[2]).toString('latin1').split('\x1c');
const seconds = Number(process.argv[3] || '5');
const version = (name) => JSON.parse(fs.readFileSync(`${__dirname}/node_modules/${name}/package.json`, 'utf8')).version;

const peers = {
  '@medplum/core': (text) => {
    const m = Hl7Message.parse(text);
    String(m.getSegment('MSH')?.getField(9));
    const pid = m.getSegment('PID');
    if (pid) { pid.getField(3)?.getComponent(1); pid.getField(5)?.getComponent(1); }
  },
  'hl7-standard': (text) => {
    const h = new HL7(text);
    h.transform();
    h.get('MSH.9');
    try { h.get('PID.3.1'); h.get('PID.5.1'); } catch { /* no PID */ }
  },
  'node-hl7-client': (text) => {
    const m = new Message({ text });
    m.get('MSH.9').toString();
    try { m.get('PID.3.1').toString(); m.get('PID.5.1').toString(); } catch { /* no PID */ }
  },
};

for (const [name, parse] of Object.entries(peers)) {
  let failures = 0;
  const pass = () => { for (const t of texts) { try { parse(t); } catch { failures++; } } };
  pass();
  const firstPassFailures = failures;
  const start = process.hrtime.bigint();
  let done = 0;
  while (Number(process.hrtime.bigint() - start) / 1e9 < seconds) { pass(); done += texts.length; }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${name} ${version(name)}\t${(done / elapsed).toFixed(0)} msg/s\t${(elapsed / done * 1e6).toFixed(1)} us/msg\tfailures/pass ${firstPassFailures}`);
}
