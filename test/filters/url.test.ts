import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Doc, type JsonObject } from '../../src/core/document.js';
import type { Filter, Metrics, Verdict } from '../../src/core/filter.js';
import { domainEntry, urlHost } from '../../src/text/url-host.js';
import url from '../../filters/url.js';
import { removeTempDirs, tempDir, writeCompressed } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'url');
const ctx = { stageName: 'url', stageIndex: 1, resolvePath: (p: string) => resolve(FIXTURES, p) };

afterAll(removeTempDirs);

async function make(opts: Record<string, unknown>): Promise<Filter> {
  return url.create(url.options.parse(opts), ctx);
}

async function check(f: Filter, record: JsonObject): Promise<{ verdict: Verdict; m: Metrics }> {
  const m: Metrics = {};
  const verdict = await f.check(Doc.fromText('some text', 'd', record), m);
  return { verdict, m };
}

const at = (u: string): JsonObject => ({ id: 'd', text: 'some text', metadata: { url: u } });

describe('url: hosts', () => {
  it('takes the host out of URLs as crawls give them', () => {
    expect(urlHost('https://User:pw@WWW.Example.COM.:8080/a/b?q=1#f')).toBe('www.example.com');
    expect(urlHost('example.com/path')).toBe('example.com');
    expect(urlHost('//cdn.example.net/x.js')).toBe('cdn.example.net');
    expect(urlHost('http://[2001:db8::1]:443/')).toBe('2001:db8::1');
    expect(urlHost('http://10.1.2.3:80')).toBe('10.1.2.3');
    expect(urlHost('http://evil.example\\@good.example/')).toBe('evil.example');
    expect(urlHost('https://münchen.example/straße')).toBe('xn--mnchen-3ya.example');
    expect(urlHost('https://xn--mnchen-3ya.example/')).toBe('xn--mnchen-3ya.example');
    expect(urlHost('mailto:someone@mail.example')).toBe('mail.example');
    expect(urlHost('http://')).toBeNull();
    expect(urlHost('   ')).toBeNull();
  });

  it('reads block-list lines in their usual shapes', () => {
    expect(domainEntry('Blocked.Example.')).toBe('blocked.example');
    expect(domainEntry('*.wild.test')).toBe('wild.test');
    expect(domainEntry('.dotted.test')).toBe('dotted.test');
    expect(domainEntry('0.0.0.0 hosts-file.test # comment')).toBe('hosts-file.test');
    expect(domainEntry('https://with-scheme.example/some/path')).toBe('with-scheme.example');
    expect(domainEntry('   # only a comment')).toBeNull();
  });
});

describe('url: blocked domains', () => {
  it('blocks listed domains and all their subdomains, not look-alikes', async () => {
    const f = await make({ blocklist_files: ['blocklist.txt'] });
    const blocked = [
      ['http://blocked.example/', 'blocked.example'],
      ['https://a.b.blocked.example/page', 'blocked.example'],
      ['HTTPS://WWW.BLOCKED.EXAMPLE./X', 'blocked.example'],
      ['http://user:pass@blocked.example:8443/', 'blocked.example'],
      ['http://x.wild.test/', 'wild.test'],
      ['http://wild.test/', 'wild.test'],
      ['http://dotted.test/', 'dotted.test'],
      ['http://hosts-file.test/', 'hosts-file.test'],
      ['http://with-scheme.example/other', 'with-scheme.example'],
      ['http://www.upper.case.example/', 'upper.case.example'],
      ['http://münchen.example/', 'xn--mnchen-3ya.example'],
      ['http://www.xn--mnchen-3ya.example/', 'xn--mnchen-3ya.example'],
      ['http://10.1.2.3/admin', '10.1.2.3'],
      ['blocked.example/no-scheme', 'blocked.example'],
    ];
    for (const [u, entry] of blocked) {
      expect(await check(f, at(u!)), u).toEqual({
        verdict: 'url_blocked_domain',
        m: { url_missing: false, url_match: entry, url_domain: urlHost(u!) },
      });
    }
    const lookAlikes = [
      'http://unblocked.example/',
      'http://example/',
      'http://blocked.example.com/',
      'http://case.example/',
      'http://110.1.2.3/',
      'http://good.example/?r=blocked.example',
    ];
    for (const u of lookAlikes) {
      expect((await check(f, at(u))).verdict, u).toBeUndefined();
    }
  });

  it('takes inline domains', async () => {
    const f = await make({ domains: ['Inline.Example'] });
    expect((await check(f, at('http://www.inline.example/'))).verdict).toBe('url_blocked_domain');
    expect((await check(f, at('http://inline.example.org/'))).verdict).toBeUndefined();
  });

  it('reads compressed lists, and names the file that is missing or empty', async () => {
    const dir = tempDir();
    writeCompressed(join(dir, 'domains.txt.gz'), '# gz list\nzipped.example\n');
    writeCompressed(join(dir, 'empty.txt'), '# nothing\n\n');
    const f = await make({ blocklist_files: [join(dir, 'domains.txt.gz')] });
    expect((await check(f, at('http://a.zipped.example/'))).verdict).toBe('url_blocked_domain');
    await expect(make({ blocklist_files: ['no-such-list.txt'] })).rejects.toThrow(/url: blocklist_files: cannot read .*no-such-list\.txt/);
    await expect(make({ banned_words_files: [join(dir, 'empty.txt')] })).rejects.toThrow(/empty\.txt has no entries/);
  });
});

describe('url: banned words', () => {
  it('drops a URL with a banned word as a whole token of the URL', async () => {
    const f = await make({ banned_words_files: ['banned_words.txt'], banned_words: ['Bad Word'] });
    for (const [u, word] of [
      ['https://www.casino.example/', 'casino'],
      ['https://example.org/play/CASINO-games', 'casino'],
      ['https://example.org/search?q=lottery&x=1', 'lottery'],
      ['https://example.org/%63asino', 'casino'],
      ['https://example.org/badword', 'badword'],
    ]) {
      expect(await check(f, at(u!)), u).toEqual({ verdict: 'url_banned_word', m: { url_missing: false, url_match: word, url_domain: urlHost(u!) } });
    }
    for (const u of ['https://casinos.example/', 'https://example.org/lotteryresults', 'https://example.org/bad-word']) {
      expect((await check(f, at(u))).verdict, u).toBeUndefined();
    }
  });

  it('drops a URL with soft banned words at the threshold', async () => {
    const f = await make({ soft_banned_words_files: ['soft_banned_words.txt'] });
    expect(await check(f, at('https://example.org/free-stuff'))).toEqual({
      verdict: undefined,
      m: { url_missing: false, url_match: null, url_domain: 'example.org', url_soft_words: 1 },
    });
    expect(await check(f, at('https://example.org/free-stuff/free'))).toMatchObject({ verdict: undefined, m: { url_soft_words: 1 } });
    expect(await check(f, at('https://free.example.org/cheap-bonus'))).toEqual({
      verdict: 'url_soft_banned_words',
      m: { url_missing: false, url_match: 'free cheap bonus', url_domain: 'free.example.org', url_soft_words: 3 },
    });
    const strict = await make({ soft_banned_words: ['free', 'cheap'], soft_banned_word_threshold: 1 });
    expect((await check(strict, at('https://example.org/cheap'))).verdict).toBe('url_soft_banned_words');
  });

  it('drops a URL with a banned subword anywhere in its letters', async () => {
    const f = await make({ banned_subwords_files: ['banned_subwords.txt'] });
    expect(await check(f, at('https://blog.example/how-to-GET-rich_quick.html'))).toEqual({
      verdict: 'url_banned_subword',
      m: { url_missing: false, url_match: 'getrichquick', url_domain: 'blog.example' },
    });
    expect((await check(f, at('https://spammy.thing.example/'))).verdict).toBe('url_banned_subword');
    // "#spam bot" is a comment line
    expect((await check(f, at('https://example.org/spam-bot'))).verdict).toBeUndefined();
  });

  it('checks the rules in order: domain, banned word, soft words, subwords', async () => {
    const f = await make({ domains: ['blocked.example'], banned_words: ['casino'], soft_banned_words: ['free', 'cheap'], banned_subwords: ['casino'] });
    expect((await check(f, at('http://blocked.example/casino/free/cheap'))).verdict).toBe('url_blocked_domain');
    expect((await check(f, at('http://ok.example/casino/free/cheap'))).verdict).toBe('url_banned_word');
    expect((await check(f, at('http://ok.example/casinos/free/cheap'))).verdict).toBe('url_soft_banned_words');
    expect((await check(f, at('http://ok.example/casinos/free'))).verdict).toBe('url_banned_subword');
  });
});

describe('url: where the URL comes from', () => {
  it('reads metadata.url, then url; records a missing URL and keeps or drops', async () => {
    const keep = await make({ domains: ['blocked.example'] });
    expect((await check(keep, { id: 'd', text: 't', url: 'http://blocked.example/' })).verdict).toBe('url_blocked_domain');
    expect((await check(keep, { id: 'd', text: 't', metadata: { url: '' }, url: 'http://blocked.example/' })).verdict).toBe('url_blocked_domain');
    for (const rec of [{ id: 'd', text: 't' }, { id: 'd', text: 't', metadata: { url: 42 } }, { id: 'd', text: 't', url: '   ' }]) {
      expect(await check(keep, rec)).toEqual({ verdict: undefined, m: { url_missing: true, url_match: null, url_domain: null } });
    }
    const drop = await make({ missing: 'drop' });
    expect(await check(drop, { id: 'd', text: 't' })).toEqual({ verdict: 'url_missing', m: { url_missing: true, url_match: null, url_domain: null } });
  });

  it('reads a configured field', async () => {
    const f = await make({ field: 'metadata.dolma_metadata.warc_url', domains: ['blocked.example'] });
    expect((await check(f, { id: 'd', text: 't', metadata: { dolma_metadata: { warc_url: 'http://blocked.example/' } } })).verdict).toBe('url_blocked_domain');
    expect((await check(f, at('http://blocked.example/'))).m.url_missing).toBe(true);
  });

  it('copes with odd and very long URLs', async () => {
    const f = await make({ blocklist_files: ['blocklist.txt'], banned_words: ['casino'], soft_banned_words: ['free', 'cheap'], banned_subwords: ['getrichquick'] });
    for (const u of ['not a url at all', 'http://', '😀://🎉.example/😀', 'http://%zz.example/%E0%A4%A', 'javascript:void(0)', '\r\nhttp://ok.example/\r\n']) {
      expect((await check(f, at(u))).verdict, u).toBeUndefined();
    }
    // A field of megabytes is judged by its first 65,536 characters (no real URL is longer).
    const long = `http://ok.example/casino/${'a-b/'.repeat(1_300_000)}`;
    expect(long.length).toBeGreaterThan(5_000_000);
    expect((await check(f, at(long))).verdict).toBe('url_banned_word');
    expect((await check(f, at(`http://ok.example/${'a-b/'.repeat(1_300_000)}casino`))).verdict).toBeUndefined();
    expect((await check(f, at(`http://ok.example/${'\u0301'.repeat(10_000_000)}`))).verdict).toBeUndefined();
  });

  it('rejects bad options', () => {
    expect(url.options.safeParse({ missing: 'skip' }).success).toBe(false);
    expect(url.options.safeParse({ soft_banned_word_threshold: 0 }).success).toBe(false);
    expect(url.options.safeParse({ blocklist: ['x'] }).success).toBe(false);
    expect(url.options.safeParse({ field: [] }).success).toBe(false);
  });
});
