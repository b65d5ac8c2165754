// Rendering a variant for one recipient: merge fields, escaping, links and their tracking, the
// footer and pixel, SMS segments, and templates that try to escape their sandbox or hang.
import { convert } from 'html-to-text';
import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  type EmailInput,
  type MergeContact,
  renderEmail,
  renderSms,
  TemplateError,
} from '../src/delivery/render.ts';
import { smsSegments } from '../src/delivery/sms-segments.ts';

const ada: MergeContact = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  company: 'Analytical Engines',
  job_title: 'Engineer',
  attributes: { plan: 'pro', seats: 12 },
};

const tracking = {
  click: (url: string, index: number) => `https://t.acme.test/c/${index}?to=${encodeURIComponent(url)}`,
  openPixelUrl: 'https://t.acme.test/o/TOKEN',
  unsubscribeUrl: 'https://t.acme.test/u/TOKEN',
};

const email = (overrides: Partial<EmailInput>) =>
  renderEmail({ subject: 'Hello', body: 'Body', contact: ada, links: tracking, ...overrides });

/** The anchors of the HTML as a reader's client sees them (entities decoded): [text, href]. */
function anchors(html: string): [string, string][] {
  return [...html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((match) => [
    decode(match[2]!),
    decode(match[1]!),
  ]);
}
const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('merge fields', () => {
  it("fills a contact's fields and attributes", () => {
    const { text } = email({
      body: '{{first_name}} {{ last_name }} <{{ email }}> {{ phone }} {{ company }} {{ job_title }} {{ attributes.plan }} {{ attributes.seats }}',
    });
    expect(text).toContain('Ada Lovelace <ada@example.com> +44 20 7946 0000 Analytical Engines Engineer pro 12');
  });

  it('renders a missing value as nothing, never "undefined" or "null", and takes a default', () => {
    const nobody = { first_name: null, attributes: null };
    const { subject, text } = email({
      subject: 'Quick question, {{ first_name }}',
      body: 'Hi {{first_name}},\n\nYour plan: {{ attributes.plan }}.\n\nHi {{ first_name | default: "there" }}!',
      contact: nobody,
    });
    expect(subject).toBe('Quick question,');
    expect(text).toMatch(/^Hi ,\n\nYour plan: \.\n\nHi there!/);
    expect(text).not.toMatch(/undefined|null/);
    expect(email({ body: '{{ first_name | default: "there" }}', contact: { first_name: '' } }).text).toMatch(/^there/);
  });

  it("reaches nothing but the contact's own fields: no prototype, no constructor, no other column", () => {
    const contact = { ...ada, id: 'secret-id', tenant_id: 'secret-tenant' } as MergeContact;
    const { text } = email({
      body:
        '[{{ constructor }}][{{ first_name.constructor }}][{{ attributes.constructor.name }}]' +
        '[{{ attributes.__proto__ }}][{{ toString }}][{{ id }}][{{ tenant_id }}][{{ attributes.hasOwnProperty }}]',
      contact,
    });
    expect(text.split('\n')[0]).toBe('[][][][][][][][]');
  });

  it('reads no file: include, render and layout are refused', () => {
    for (const tag of ['{% include "package.json" %}', '{% render "package.json" %}', '{% layout "x" %}']) {
      expect(() => email({ body: tag })).toThrow(TemplateError);
    }
  });
});

describe('escaping', () => {
  const hostile = { ...ada, first_name: '<script>alert(1)</script>', company: '"><img src=x onerror=alert(1)>' };

  it("escapes a contact's data in the HTML, even through | raw, and keeps it as written in the text", () => {
    const { html, text } = email({
      body: 'Hi {{ first_name }} of {{ company }}, {{ first_name | raw }}',
      contact: hostile,
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt; of &quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(text).toContain('Hi <script>alert(1)</script> of "><img src=x onerror=alert(1)>');
  });

  it("escapes the copy's own text: it is plain text, not HTML", () => {
    const { html } = email({ body: 'Tom & Jerry <3 <b>bold</b>' });
    expect(html).toContain('Tom &amp; Jerry &lt;3 &lt;b&gt;bold&lt;/b&gt;');
  });

  it('keeps the subject plain and on one line, whatever a merge value holds', () => {
    const { subject, html } = email({
      subject: 'Hi {{ first_name }}\r\n{{ company }}',
      contact: { first_name: 'A & B <x>\r\nBcc: victim@example.com', company: 'C' },
    });
    expect(subject).toBe('Hi A & B <x> Bcc: victim@example.com C');
    expect(html).toContain('<title>Hi A &amp; B &lt;x&gt; Bcc: victim@example.com C</title>');
  });

  it('gives the private-use markers no meaning when copy or data hold them', () => {
    const { links, html } = email({
      body: 'a\uE001b {{ first_name }}',
      contact: { first_name: '\uE001https://evil.test/\uE000' },
    });
    expect(links).toEqual([]);
    expect(html).toContain('ab https://evil.test/');
  });
});

describe('paragraphs and links', () => {
  it('makes paragraphs of blank-line blocks and line breaks of single newlines', () => {
    const { html } = email({ body: 'Hi Ada,\r\n\r\nLine one\nLine two\n\n\n\nBye' });
    expect(html).toContain('>Hi Ada,</p>\n<p style="margin:0 0 16px">Line one<br>\nLine two</p>\n<p');
    expect(html).toContain('>Bye</p>');
  });

  it('links each URL through the click endpoint by its index, and lists the destinations', () => {
    const { html, text, links } = email({
      body: 'See https://acme.test/pricing, then https://acme.test/docs.\n\nAgain: https://acme.test/pricing',
    });
    expect(links).toEqual(['https://acme.test/pricing', 'https://acme.test/docs']);
    expect(anchors(html)).toEqual([
      ['https://acme.test/pricing', tracking.click('https://acme.test/pricing', 0)],
      ['https://acme.test/docs', tracking.click('https://acme.test/docs', 1)],
      ['https://acme.test/pricing', tracking.click('https://acme.test/pricing', 0)],
      ['Unsubscribe', tracking.unsubscribeUrl],
    ]);
    expect(text).toContain(`See ${tracking.click('https://acme.test/pricing', 0)}, then`);
    expect(text).not.toContain('https://acme.test/docs.');
  });

  it('keeps quotes, ampersands and brackets where they belong in a link', () => {
    const url = "https://acme.test/a_(b)?x=1&y='2'&z=<";
    const { html, links } = email({
      body: `Visit "${url}". Or (https://acme.test/c).`,
      links: { ...tracking, click: undefined },
    });
    // The URL ends at the angle bracket and the closing quote; the sentence's ). are not part of one.
    expect(links).toEqual(["https://acme.test/a_(b)?x=1&y='2'&z=", 'https://acme.test/c']);
    expect(anchors(html).slice(0, 2)).toEqual([
      [links[0], links[0]],
      [links[1], links[1]],
    ]);
    expect(html).toContain('href="https://acme.test/a_(b)?x=1&amp;y=&#39;2&#39;&amp;z="');
    // An HTML-to-text reader sees the same targets.
    expect(convert(html)).toContain(`[${links[0]}]`);
  });

  it('adds the UTM parameters a link lacks, before its fragment, and keeps its query as written', () => {
    const { links } = email({
      body: 'https://acme.test/a?q=a%20b+c#top https://acme.test/b?utm_source=partner https://acme.test',
      campaign: { utm_source: 'nightshift', utm_medium: 'email', utm_campaign: 'Q4 launch', utm_content: ' ' },
    });
    expect(links).toEqual([
      'https://acme.test/a?q=a%20b+c&utm_source=nightshift&utm_medium=email&utm_campaign=Q4+launch#top',
      'https://acme.test/b?utm_source=partner&utm_medium=email&utm_campaign=Q4+launch',
      'https://acme.test?utm_source=nightshift&utm_medium=email&utm_campaign=Q4+launch',
    ]);
  });

  it("never links a contact's data, and never lets it change a link's host", () => {
    const contact = { ...ada, attributes: { site: 'https://evil.test/x', path: 'pro/plan', host: '@evil.test/' } };
    const { links, html } = email({
      body: 'Yours: {{ attributes.site }}\nPlan: https://acme.test/{{ attributes.path }}\nNo: https://acme.test{{ attributes.host }}',
      contact,
    });
    expect(links).toEqual(['https://acme.test/pro/plan']);
    expect(html).toContain('Yours: https://evil.test/x<br>');
    expect(html).toContain('No: https://acme.test@evil.test/</p>');
  });

  it('goes straight to the destination when click tracking is off, and leaves the pixel out', () => {
    const { html, text } = email({
      body: 'https://acme.test/x',
      links: { unsubscribeUrl: tracking.unsubscribeUrl },
    });
    expect(anchors(html)[0]).toEqual(['https://acme.test/x', 'https://acme.test/x']);
    expect(text).toMatch(/^https:\/\/acme\.test\/x\n/);
    expect(html).not.toContain('<img');
  });

  it('ends with the footer, the unsubscribe link and the 1×1 open pixel', () => {
    const { html, text } = email({ footer: 'Acme Inc. · 1 Main St & Co, Springfield' });
    expect(html).toContain('Acme Inc. · 1 Main St &amp; Co, Springfield<br><a href="https://t.acme.test/u/TOKEN"');
    expect(html).toMatch(/<img src="https:\/\/t\.acme\.test\/o\/TOKEN" width="1" height="1" alt=""[^>]*>\n<\/body>/);
    expect(text).toBe(
      'Body\n\n-- \nAcme Inc. · 1 Main St & Co, Springfield\nUnsubscribe: https://t.acme.test/u/TOKEN\n',
    );
  });

  it("adds the campaign's call to action as a tracked button, unless the body links it already", () => {
    const campaign = { cta_text: 'Book a demo', cta_url: 'https://acme.test/demo', utm_source: 'ns' };
    const withButton = email({ body: 'Hi', campaign });
    expect(withButton.links).toEqual(['https://acme.test/demo?utm_source=ns']);
    expect(anchors(withButton.html)[0]).toEqual([
      'Book a demo',
      tracking.click('https://acme.test/demo?utm_source=ns', 0),
    ]);
    expect(withButton.text).toContain(`Book a demo: ${tracking.click('https://acme.test/demo?utm_source=ns', 0)}`);
    const inBody = email({ body: 'Learn more: https://acme.test/demo', campaign });
    expect(inBody.links).toHaveLength(1);
    expect(inBody.html).not.toContain('Book a demo');
    expect(anchors(email({ body: 'Hi', campaign: { cta_url: 'https://acme.test/d' } }).html)[0]![0]).toBe('Learn more');
    expect(email({ body: 'Hi', campaign: { cta_url: 'javascript:alert(1)' } }).links).toEqual([]);
  });
});

describe('template errors', () => {
  it('names the field whose template is broken', () => {
    const error = (() => {
      try {
        email({ subject: 'Hi {{ first_name ' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).field).toBe('subject');
    expect((error as TemplateError).message).toMatch(/^subject: output "\{\{ first_name " not closed/);
    expect(() => email({ body: '{% if x %}open' })).toThrow(/^body: tag \{% if x %\} not closed/);
    expect(() => renderSms({ sms_copy: '{{ x | nope }}', contact: ada })).toThrow(/^sms_copy: undefined filter: nope/);
  });

  it('stops a runaway template: an endless loop, exponential growth, huge output', () => {
    const started = performance.now();
    for (const body of [
      '{% for i in (1..100000000) %}x{% endfor %}',
      '{% for i in (1..900000) %}{% for j in (1..900000) %}{{ i }}{% endfor %}{% endfor %}',
      '{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}',
      '{% assign a = "1,2" | split: "," %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a | size }}',
      '{% for i in (1..150000) %}ab{% endfor %}',
    ]) {
      expect(() => email({ body })).toThrow(TemplateError);
    }
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('checks copy on save: syntax, filters, tags, merge fields and a trial render', () => {
    expect(checkTemplate('body', 'Hi {{first_name}}, {{ attributes.plan | upcase }}')).toBeUndefined();
    expect(checkTemplate('body', '{% assign n = first_name | default: "you" %}{{ n }}')).toBeUndefined();
    expect(checkTemplate('body', 'No merge fields at all.')).toBeUndefined();
    expect(checkTemplate('subject', 'Hi {{ frist_name }}')?.message).toMatch(
      /^subject: unknown merge field "frist_name"/,
    );
    expect(checkTemplate('body', '{{ first_name | upcas }}')?.message).toMatch(/undefined filter: upcas/);
    expect(checkTemplate('body', '{% include "x" %}')?.field).toBe('body');
    expect(checkTemplate('sms_copy', '{% for i in (1..100000000) %}x{% endfor %}')?.field).toBe('sms_copy');
  });
  it('renders right after its cached parse was pushed out by a thousand others', () => {
    const first = email({ body: 'First {{ first_name }}' }).text;
    for (let i = 0; i < 1_100; i++) email({ body: `Other ${i} {{ last_name }}` });
    email({ body: `{{ first_name }}${'x'.repeat(150_000)}` });
    expect(email({ body: 'First {{ first_name }}' }).text).toBe(first);
    expect(first).toMatch(/^First Ada\n/);
  });
});

describe('SMS', () => {
  it('renders without escaping, tracks links and keeps the opt-out line', () => {
    const sms = renderSms({
      sms_copy: 'Hi {{ first_name }} & co: https://acme.test/d?x=1&y=2\nReply STOP to opt out.\n',
      contact: { first_name: '<Ada>' },
      links: { click: (_url, index) => `https://t.acme.test/c/${index}` },
      campaign: { utm_medium: 'sms' },
    });
    expect(sms.body).toBe('Hi <Ada> & co: https://t.acme.test/c/0\nReply STOP to opt out.');
    expect(sms.links).toEqual(['https://acme.test/d?x=1&y=2&utm_medium=sms']);
    expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('counts GSM-7 septets, extension characters as two, and never splits one across segments', () => {
    const a = (n: number) => 'a'.repeat(n);
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', segments: 0 });
    expect(smsSegments(a(160)).segments).toBe(1);
    expect(smsSegments(a(161)).segments).toBe(2);
    expect(smsSegments(a(306)).segments).toBe(2);
    expect(smsSegments(a(307)).segments).toBe(3);
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('€'.repeat(81)).segments).toBe(2);
    // 306 septets fit two segments of 153 only if the escape pair could be cut in two.
    expect(smsSegments(`${a(152)}€${a(152)}`).segments).toBe(3);
  });

  it('knows the GSM-7 alphabet exactly: everything else is UCS-2', () => {
    const basic =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    expect(Array.from(basic)).toHaveLength(127);
    expect(smsSegments(basic)).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('\f^{}\\[~]|€').encoding).toBe('GSM-7');
    for (const outside of ['`', 'ç', 'ë', '’', '“', 'Ā', '😀', 'á', 'ê', '\t']) {
      expect(smsSegments(`Hi ${outside}`).encoding).toBe('UCS-2');
    }
  });

  it('counts UCS-2 in UTF-16 units, 70 then 67, and never splits a surrogate pair', () => {
    const u = (n: number) => `${'ü'.repeat(n - 1)}ç`;
    expect(smsSegments(u(70)).segments).toBe(1);
    expect(smsSegments(u(71)).segments).toBe(2);
    expect(smsSegments(u(134)).segments).toBe(2);
    expect(smsSegments(u(135)).segments).toBe(3);
    expect(smsSegments('😀'.repeat(35)).segments).toBe(1);
    expect(smsSegments(`${'a'.repeat(66)}😀${'a'.repeat(66)}`).segments).toBe(3);
  });
});

describe('speed', () => {
  it('renders 100,000 e-mails of the demo copy in well under a few seconds', () => {
    const body =
      'Hi {{first_name}},\n\nTeams like {{ company | default: "yours" }} onboard in half the time: ' +
      'https://acme.test/onboarding\n\nThe numbers: https://acme.test/case-study?ref=email\n\nWorth a look?';
    const contacts = Array.from({ length: 1000 }, (_, i) => ({
      first_name: `Name ${i}`,
      company: i % 3 ? `Co ${i}` : null,
    }));
    const campaign = { cta_text: 'Book a demo', cta_url: 'https://acme.test/demo', utm_source: 'nightshift' };
    const started = performance.now();
    let size = 0;
    for (let i = 0; i < 100_000; i++) {
      size += email({ subject: 'Quick question, {{ first_name }}', body, contact: contacts[i % 1000]!, campaign }).html
        .length;
    }
    const elapsed = performance.now() - started;
    console.log(`100,000 renderEmail calls: ${Math.round(elapsed)} ms (${(elapsed / 100).toFixed(1)} µs each)`);
    expect(size).toBeGreaterThan(100_000_000);
    expect(elapsed).toBeLessThan(5_000);
  });
});
