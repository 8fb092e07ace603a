import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/core/document.js';
import type { Metrics, Verdict } from '../../src/core/filter.js';
import pii from '../../filters/pii.js';

const ctx = { stageName: 'pii', stageIndex: 1, resolvePath: (p: string) => p };

async function run(doc: Doc, opts: Record<string, unknown> = {}): Promise<{ verdict: Verdict; m: Metrics }> {
  const f = await pii.create(pii.options.parse(opts), ctx);
  const m: Metrics = {};
  const verdict = await f.check(doc, m);
  return { verdict, m };
}

/** The masked text of `text` with all kinds. */
async function mask(text: string, opts: Record<string, unknown> = {}): Promise<string> {
  const doc = Doc.fromText(text);
  await run(doc, opts);
  return doc.text;
}

const E = '|||EMAIL_ADDRESS|||';
const P = '|||PHONE_NUMBER|||';
const I = '|||IP_ADDRESS|||';

/** 10 MB of `unit` repeated, as one flat string (as documents parsed from JSON are). */
function tenMb(unit: string): string {
  const n = 10 * 1024 * 1024;
  return Buffer.from(unit.repeat(Math.ceil(n / unit.length)).slice(0, n)).toString();
}

describe('pii: e-mail addresses', () => {
  it('masks addresses with the Dolma placeholder, leaving the punctuation around them', async () => {
    expect(await mask('Write to jane.doe@example.com, or (ops+alerts@mail.example.co.uk).')).toBe(`Write to ${E}, or (${E}).`);
    expect(await mask('mailto:Info@Example.ORG?subject=hi')).toBe(`mailto:${E}?subject=hi`);
    expect(await mask('end of sentence: me@x.io.')).toBe(`end of sentence: ${E}.`);
    expect(await mask('<first_last-9%x@sub.domain-1.example.museum>')).toBe(`<${E}>`);
    expect(await mask('...lead@x.org')).toBe(`...${E}`);
  });

  it('keeps what only looks like an address', async () => {
    for (const t of [
      'retina image logo@2x.png and icon@3x.webp',
      'user@localhost and root@host',
      'twitter @handle and @ alone and a@ b.com',
      'npm install pkg@1.2.3',
      `${'x'.repeat(65)}@example.com`,
      'a@b.c',
      'x@-bad.com',
    ]) {
      expect(await mask(t)).toBe(t);
    }
  });

  it('stops at the last real top-level domain', async () => {
    expect(await mask('a@b.com.123')).toBe(`${E}.123`);
    expect(await mask('a@b.com.png')).toBe(`${E}.png`);
  });
});

describe('pii: phone numbers', () => {
  it('masks North American and + international numbers', async () => {
    expect(await mask('Call (555) 123-4567 or 555-123-4567, 555.123.4567, 555 123 4567.')).toBe(`Call ${P} or ${P}, ${P}, ${P}.`);
    expect(await mask('Toll free 1-800-555-1234, +1 (555) 123-4567, +1 555 123 4567')).toBe(`Toll free ${P}, ${P}, ${P}`);
    expect(await mask('London +44 20 7946 0958, Paris +33 1 23 45 67 89, E.164 +14155552671')).toBe(`London ${P}, Paris ${P}, E.164 ${P}`);
    expect(await mask('tel:555-123-4567')).toBe(`tel:${P}`);
    expect(await mask('Room 12 555-123-4567 and call 555 123 4567 now')).toBe(`Room 12 ${P} and call ${P} now`);
  });

  it('keeps ordinary numbers, dates, prices and codes', async () => {
    for (const t of [
      'timestamp 1699999999 and id 5551234567',
      'price $1,234,567.89 or 4.5% of 1234567890123',
      'dates 2023-01-15, 15.01.2023, 12/31/2023, time 12:30:45',
      'ISBN 978-3-16-148410-0 and ISBN 0-306-40615-2',
      'card 4111 1111 1111 1111',
      'parts 12-555-123-4567 and 555-123-4567-8 and x555-123-4567',
      'short +1 555 and +44 20',
      'pi 3.14159265358979',
      'counting 996 997 998 999 1000 1001 1002',
    ]) {
      expect(await mask(t)).toBe(t);
    }
  });
});

describe('pii: IP addresses', () => {
  it('masks IPv4 addresses with octets 0-255', async () => {
    expect(await mask('hosts 192.168.0.1, 10.0.0.255:8080 and 172.16.0.0/12; 0.0.0.0 too')).toBe(`hosts ${I}, ${I}:8080 and ${I}/12; ${I} too`);
    expect(await mask('http://203.0.113.7/admin')).toBe(`http://${I}/admin`);
  });

  it('keeps out-of-range octets, leading zeros, longer dotted numbers and versions', async () => {
    for (const t of [
      '256.1.1.1 and 1.2.3.999 and 01.02.03.04',
      '1.2.3.4.5 and 10.0.0',
      'version 1.2.3.4, Version: 10.0.0.1, ver. 2.0.0.1, v 1.0.0.0, build 4.3.2.1, release 1.1.1.1',
      'v1.2.3.4 and libfoo1.2.3.4 and 1.2.3.4a',
      'pins pkg==1.2.3.4, pkg>= 10.0.0.1, dep ^1.2.3.4, dep ~1.2.3.4',
    ]) {
      expect(await mask(t)).toBe(t);
    }
    // a bare dotted quad is an address (the known ambiguity with version numbers)
    expect(await mask('upgraded to 1.2.3.4 today')).toBe(`upgraded to ${I} today`);
  });

  it('masks IPv6 addresses, full and compressed', async () => {
    expect(await mask('a 2001:0db8:85a3:0000:0000:8a2e:0370:7334 b')).toBe(`a ${I} b`);
    expect(await mask('2001:db8::1, fe80::1ff:fe23:4567:890a and 2001:db8:1::')).toBe(`${I}, ${I} and ${I}`);
    expect(await mask('mapped ::ffff:192.0.2.1 and 64:ff9b::192.0.2.33')).toBe(`mapped ${I} and ${I}`);
    expect(await mask('url http://[2001:db8::42]:443/x')).toBe(`url http://[${I}]:443/x`);
  });

  it('keeps short forms, code and MAC addresses', async () => {
    for (const t of ['loopback ::1 and fe80::1', 'std::cout << a::b; Foo::Bar', 'dead::beef:cafe', 'mac 00:1A:2B:3C:4D:5E', 'at 12:30:45']) {
      expect(await mask(t)).toBe(t);
    }
  });
});

describe('pii: options, metrics and reasons', () => {
  const text = 'Mail a@example.com or b@example.org, call 555-123-4567, server 10.0.0.1.';

  it('counts each kind and masks in place', async () => {
    const doc = Doc.fromText(text);
    const { verdict, m } = await run(doc);
    expect(verdict).toBeUndefined();
    expect(m).toEqual({ pii_email: 2, pii_phone: 1, pii_ip: 1 });
    expect(doc.text).toBe(`Mail ${E} or ${E}, call ${P}, server ${I}.`);
    expect(doc.edited).toBe(true);
  });

  it('looks only for the listed kinds', async () => {
    const doc = Doc.fromText(text);
    const { m } = await run(doc, { kinds: ['phone'] });
    expect(m).toEqual({ pii_phone: 1 });
    expect(doc.text).toBe(`Mail a@example.com or b@example.org, call ${P}, server 10.0.0.1.`);
  });

  it('drop: drops a document with more than max_matches matches (default 0), text untouched', async () => {
    const doc = Doc.fromText(text);
    expect((await run(doc, { action: 'drop' })).verdict).toBe('too_much_pii');
    expect(doc.text).toBe(text);
    expect(doc.edited).toBe(false);
    expect((await run(Doc.fromText(text), { action: 'drop', max_matches: 4 })).verdict).toBeUndefined();
    expect((await run(Doc.fromText(text), { action: 'drop', max_matches: 3 })).verdict).toBe('too_much_pii');
    const clean = Doc.fromText('nothing personal here, version 1.2.3.4');
    expect(await run(clean, { action: 'drop' })).toEqual({ verdict: undefined, m: { pii_email: 0, pii_phone: 0, pii_ip: 0 } });
  });

  it('mask with max_matches: drops over the limit, masks at or under it', async () => {
    const over = Doc.fromText(text);
    expect((await run(over, { max_matches: 3 })).verdict).toBe('too_much_pii');
    expect(over.edited).toBe(false);
    const under = Doc.fromText(text);
    expect((await run(under, { max_matches: 4 })).verdict).toBeUndefined();
    expect(under.text).toBe(`Mail ${E} or ${E}, call ${P}, server ${I}.`);
  });

  it('masking is idempotent', async () => {
    const once = await mask(text);
    expect(await mask(once)).toBe(once);
  });

  it('rejects bad options', () => {
    expect(pii.options.safeParse({ kinds: [] }).success).toBe(false);
    expect(pii.options.safeParse({ kinds: ['ssn'] }).success).toBe(false);
    expect(pii.options.safeParse({ action: 'redact' }).success).toBe(false);
    expect(pii.options.safeParse({ max_matches: -1 }).success).toBe(false);
    expect(pii.options.safeParse({ extra: 1 }).success).toBe(false);
  });
});

describe('pii: chat records and edge cases', () => {
  function chatDoc(): Doc {
    const record = {
      id: 'c',
      messages: [
        { role: 'user', content: 'I am at jo@example.com' },
        { role: 'assistant', content: 'Noted. Call 555-123-4567 if the host 10.1.2.3 is down.' },
        { role: 'user', content: 'thanks' },
      ],
    };
    return new Doc({
      id: 'c',
      record,
      rawLine: JSON.stringify(record),
      shard: 's',
      lineNo: 1,
      segments: record.messages.map((msg, i) => ({ path: ['messages', i, 'content'], text: msg.content })),
    });
  }

  it('masks each chat message in its own place', async () => {
    const doc = chatDoc();
    const { m } = await run(doc);
    expect(m).toEqual({ pii_email: 1, pii_phone: 1, pii_ip: 1 });
    expect(JSON.parse(doc.serialize())).toEqual({
      id: 'c',
      messages: [
        { role: 'user', content: `I am at ${E}` },
        { role: 'assistant', content: `Noted. Call ${P} if the host ${I} is down.` },
        { role: 'user', content: 'thanks' },
      ],
    });
  });

  it('counts over all messages when deciding', async () => {
    expect((await run(chatDoc(), { action: 'drop', max_matches: 2 })).verdict).toBe('too_much_pii');
    const kept = chatDoc();
    expect(await run(kept, { action: 'drop', max_matches: 3 })).toEqual({ verdict: undefined, m: { pii_email: 1, pii_phone: 1, pii_ip: 1 } });
    expect(kept.serialize()).toBe(kept.rawLine);
  });

  it('handles empty, whitespace-only, astral-plane, CRLF and very long texts', async () => {
    for (const t of ['', ' \t\n\r\n ']) {
      const doc = Doc.fromText(t);
      expect(await run(doc)).toEqual({ verdict: undefined, m: { pii_email: 0, pii_phone: 0, pii_ip: 0 } });
      expect(doc.edited).toBe(false);
    }
    // astral letters and digits count as letters and digits: 𝐯1.2.3.4 is a version, 𝟙555-123-4567 no phone
    expect(await mask('📧joe@example.com😀 ☎ 555-123-4567 𝐯1.2.3.4 𝟙555-123-4567 😀8.8.4.4')).toBe(
      `📧${E}😀 ☎ ${P} 𝐯1.2.3.4 𝟙555-123-4567 😀${I}`,
    );
    expect(await mask('line one a@b.org\r\n192.168.1.1\r\n(555) 123-4567\r\n')).toBe(`line one ${E}\r\n${I}\r\n${P}\r\n`);
    const long = `x@example.com ${'lorem ipsum 12 dolor sit 3.5 amet '.repeat(150_000)} 8.8.8.8`;
    expect(long.length).toBeGreaterThan(5_000_000);
    const doc = Doc.fromText(long);
    const { m } = await run(doc);
    expect(m).toEqual({ pii_email: 1, pii_phone: 0, pii_ip: 1 });
    expect(doc.text.startsWith(`${E} lorem`)).toBe(true);
    expect(doc.text.endsWith(` ${I}`)).toBe(true);
  });
});

describe('pii: linear time on adversarial input', () => {
  /** Best of three runs of the filter (all kinds, masking) over `text`, in ms. */
  async function timeMs(text: string): Promise<number> {
    const f = await pii.create(pii.options.parse({}), ctx);
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await f.check(Doc.fromText(text), {});
      best = Math.min(best, performance.now() - t);
    }
    return best;
  }

  const prose = (): string =>
    tenMb(
      'The council met on Tuesday to discuss three proposals for the new road, which residents said was long ' +
        'overdue; the budget rose by 4.5% to $1,234,567 in 2023, and the next meeting is in room 12 on March 3rd. ',
    );

  it('takes at most 20x the time of ordinary prose on 10 MB of digits, of dots, of @, of hex with colons', async () => {
    const base = await timeMs(prose());
    const ratios: Record<string, number> = {};
    for (const [name, unit] of Object.entries({ digits: '7', dots: '.', at: '@', hexColons: 'a:', hexGroups: 'abcd:', colons: ':' })) {
      ratios[name] = Math.round((await timeMs(tenMb(unit))) / base);
    }
    console.log(`pii linear-time check: prose ${base.toFixed(0)} ms; ratios ${JSON.stringify(ratios)}`);
    for (const [name, r] of Object.entries(ratios)) expect(r, `${name}: ${JSON.stringify(ratios)}`).toBeLessThanOrEqual(20);
  });

  it('takes at most 20x the time of text with addresses on worse inputs, and grows linearly', async () => {
    const ordinary = tenMb(
      'On 2023-01-15 the council met at 10:30 to discuss 3 proposals (see https://example.org/news/2023/01/15/council.html). ' +
        'Questions go to press@example.org or 555-123-4567. The budget rose by 4.5% to $1,234,567.89; the plan (version 2.1.0) ' +
        'is online, and the next meeting is in room 12 at 9:00 on March 3rd. Residents said the new road was long overdue. ',
    );
    const base = await timeMs(ordinary);
    const units: Record<string, string> = {
      digitDots: '1.',
      digitSpaces: '123 ',
      localAt: 'a.a@',
      labels: 'x@a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.1 ',
      ipv6Ish: '1:2::',
      phoneIsh: '+12 ',
      mixed: 'a@b.c 1.2 ::1 +1 555 ',
    };
    const ratios: Record<string, number> = {};
    for (const [name, unit] of Object.entries(units)) ratios[name] = Math.round((await timeMs(tenMb(unit))) / base);
    ratios.longLocal = Math.round((await timeMs(tenMb('a') + '@example.com')) / base);
    console.log(`pii linear-time check: text with addresses ${base.toFixed(0)} ms; ratios ${JSON.stringify(ratios)}`);
    for (const [name, r] of Object.entries(ratios)) expect(r, `${name}: ${JSON.stringify(ratios)}`).toBeLessThanOrEqual(20);
    // 10x the input takes about 10x the time (a quadratic pattern would take 100x)
    const mixed = tenMb(units.mixed!);
    const small = await timeMs(mixed.slice(0, mixed.length / 10));
    expect((await timeMs(mixed)) / small).toBeLessThan(30);
  });
});
