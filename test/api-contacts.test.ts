// /api/contacts over real HTTP: create, read, change (no delete: unsubscribe), list in cursor pages
// with filters, and the bulk import as JSON and CSV: the row-level report in abort and skip mode,
// nothing written on abort, re-imports that update instead of duplicating, the segment option, the
// role each route needs, and another tenant's contacts staying out of sight.
import { describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectFieldError, idsByPage, useTestApi } from './support/test-api.ts';

interface Contact {
  id: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  status: string;
  attributes: Record<string, unknown>;
}

describe('/api/contacts', () => {
  const { api, tenantClients: clients } = useTestApi();
  const create = (client: ApiClient, body: object) => client.post('/api/contacts', body);
  const csv = (client: ApiClient, text: string, query = '') =>
    client.post(`/api/contacts/import${query}`, text, { 'content-type': 'text/csv; charset=utf-8' });

  /** Every contact the client sees, following the cursor. */
  async function allContacts(client: ApiClient, filter = ''): Promise<Contact[]> {
    const seen: Contact[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: Contact[]; next_cursor: string | null } } = await client.get(
        `/api/contacts?limit=200${filter}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      cursor = page.body.next_cursor;
    } while (cursor);
    return seen;
  }
  const byEmail = (contacts: Contact[]) => new Map(contacts.map((c) => [c.email?.toLowerCase(), c]));

  it('creates a contact and reads it back; viewers read but cannot write; no token is a 401', async () => {
    const { member, viewer } = await clients();
    const created = await create(member, {
      email: ' Ada@Example.com ',
      first_name: 'Ada',
      last_name: 'Lovelace',
      company: 'Analytical',
      timezone: 'Europe/London',
      attributes: { plan: 'pro', seats: 3 },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/contacts/${created.body.id}`);
    expect(created.body).toMatchObject({
      email: 'Ada@Example.com',
      phone: null,
      first_name: 'Ada',
      timezone: 'Europe/London',
      status: 'active',
      attributes: { plan: 'pro', seats: 3 },
    });
    expect(created.body).not.toHaveProperty('tenant_id');
    expect(created.body).not.toHaveProperty('sort_key');

    const read = await viewer.get(`/api/contacts/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    expect((await create(viewer, { email: 'v@example.com' })).status).toBe(403);
    expect((await viewer.patch(`/api/contacts/${created.body.id}`, { first_name: 'X' })).status).toBe(403);
    expect((await viewer.post('/api/contacts/import', { contacts: [{ email: 'v@example.com' }] })).status).toBe(403);
    const anonymous = apiClient(api(), null);
    expect((await anonymous.get('/api/contacts')).status).toBe(401);
    expect((await anonymous.get(`/api/contacts/${created.body.id}`)).status).toBe(401);
    expect((await anonymous.post('/api/contacts', { email: 'a@example.com' })).status).toBe(401);
    expect((await anonymous.post('/api/contacts/import', { contacts: [] })).status).toBe(401);
    expect((await allContacts(viewer)).map((c) => c.id)).toEqual([created.body.id]);
  });

  it('names the offending field of a bad create, and writes nothing', async () => {
    const { member, viewer } = await clients();
    const cases: [object, string][] = [
      [{}, 'email'],
      [{ first_name: 'No reach' }, 'email'],
      [{ email: '', phone: '' }, 'email'],
      [{ email: 'not-an-email' }, 'email'],
      [{ phone: 'call me' }, 'phone'],
      [{ email: 'a@example.com', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ email: 'a@example.com', status: 'deleted' }, 'status'],
      [{ email: 'a@example.com', first_name: 'x'.repeat(201) }, 'first_name'],
      [{ email: 'a@example.com', attributes: 'vip' }, 'attributes'],
      [{ email: 'a@example.com', tenant_id: crypto.randomUUID() }, 'tenant_id'],
    ];
    for (const [body, field] of cases) {
      const response = await create(member, body);
      expectFieldError(response, field, JSON.stringify(body));
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    const malformed = await member.post('/api/contacts', '{"email": ');
    expect(malformed.status).toBe(400);
    expect(await allContacts(viewer)).toEqual([]);
  });

  it('keeps emails unique per tenant whatever their case (409 naming email), on create and on change', async () => {
    const { member } = await clients();
    const { body: first } = await create(member, { email: 'dup@example.com' });
    const again = await create(member, { email: 'DUP@example.COM', first_name: 'Second' });
    expect(again.status).toBe(409);
    expect(again.body.errors[0]).toMatchObject({ field: 'email', in: 'body' });

    const { body: other } = await create(member, { phone: '+1 555 010 0199' });
    const taken = await member.patch(`/api/contacts/${other.id}`, { email: 'Dup@Example.com' });
    expect(taken.status).toBe(409);
    expect(taken.body.errors[0].field).toBe('email');
    expect((await member.get(`/api/contacts/${other.id}`)).body.email).toBeNull();

    // A contact may change the case of its own email.
    const recased = await member.patch(`/api/contacts/${first.id}`, { email: 'Dup@Example.com' });
    expect(recased.status).toBe(200);
    expect(recased.body.email).toBe('Dup@Example.com');
  });

  it('changes a contact: merges attributes, keeps it reachable, unsubscribes instead of deleting', async () => {
    const { member, viewer } = await clients();
    const { body: contact } = await create(member, {
      email: 'grace@example.com',
      first_name: 'Grace',
      attributes: { plan: 'free', source: 'webinar' },
    });
    const path = `/api/contacts/${contact.id}`;

    const changed = await member.patch(path, {
      last_name: 'Hopper',
      phone: '+44 20 7946 0958',
      attributes: { plan: 'pro', source: null, score: 7 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      first_name: 'Grace',
      last_name: 'Hopper',
      phone: '+44 20 7946 0958',
      attributes: { plan: 'pro', score: 7 },
    });
    expect(changed.body.attributes).not.toHaveProperty('source');

    // Clearing the email is fine while the phone remains; clearing both is not.
    expect((await member.patch(path, { email: null })).body).toMatchObject({ email: null });
    const unreachable = await member.patch(path, { phone: null });
    expect(unreachable.status).toBe(422);
    expect(unreachable.body.errors[0].field).toBe('email');
    expect((await viewer.get(path)).body.phone).toBe('+44 20 7946 0958');

    expect((await member.delete(path)).status).toBe(404);
    const unsubscribed = await member.patch(path, { status: 'unsubscribed' });
    expect(unsubscribed.body.status).toBe('unsubscribed');
    expect((await allContacts(viewer, '&status=unsubscribed')).map((c) => c.id)).toEqual([contact.id]);
    expect(await allContacts(viewer, '&status=active')).toEqual([]);

    const empty = await member.patch(path, {});
    expect(empty.status).toBe(422);
    const unknown = await member.patch(`/api/contacts/${crypto.randomUUID()}`, { first_name: 'X' });
    expect(unknown.status).toBe(404);
    const malformed = await viewer.get('/api/contacts/not-an-id');
    expect(malformed.status).toBe(404);
    expect(malformed.body.errors[0]).toMatchObject({ field: 'id', in: 'path' });
  });

  it('lists newest first in cursor pages, filtered by status, text and segment', async () => {
    const { member, viewer } = await clients();
    const ids: string[] = [];
    const people = [
      { email: 'ann@acme.io', first_name: 'Ann', last_name: 'Lee', company: 'Acme' },
      { email: 'bob@globex.io', first_name: 'Bob', last_name: 'Stone', company: 'Globex' },
      { email: 'cat@initech.io', first_name: 'Cat', last_name: 'Acmeson', company: 'Initech' },
      { email: 'dan@umbrella.io', first_name: 'Dan', last_name: 'Ray', company: '100%_Umbrella' },
      { phone: '+1 555 010 0100', first_name: 'Eve', last_name: 'Long', company: null },
    ];
    for (const person of people) ids.push((await create(member, person)).body.id);

    expect(await idsByPage(viewer, '/api/contacts', 2)).toEqual([...ids].reverse());

    const q = async (text: string) =>
      (await allContacts(viewer, `&q=${encodeURIComponent(text)}`)).map((c) => c.first_name).sort();
    expect(await q('ACME')).toEqual(['Ann', 'Cat']); // company and last name
    expect(await q('bob@')).toEqual(['Bob']); // email
    expect(await q('eve long')).toEqual(['Eve']); // full name
    expect(await q('%_')).toEqual(['Dan']); // wildcards are literal text
    expect(await q('nobody')).toEqual([]);

    const { body: segment } = await member.post('/api/segments', { name: 'Acme people' });
    await member.post(`/api/segments/${segment.id}/members`, { contact_ids: [ids[0], ids[2]] });
    const members = await allContacts(viewer, `&segment_id=${segment.id}`);
    expect(members.map((c) => c.id)).toEqual([ids[2], ids[0]]);
    expect(await allContacts(viewer, `&segment_id=${crypto.randomUUID()}`)).toEqual([]);

    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['status=deleted', 'status'],
      ['q=', 'q'],
      ['segment_id=nope', 'segment_id'],
      ['cursor=not-a-cursor', 'cursor'],
      ['colour=red', 'colour'],
    ] as const) {
      const response = await viewer.get(`/api/contacts?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.body.errors[0]).toMatchObject({ field, in: 'query' });
    }
  });

  it('never shows or changes another tenant’s contacts', async () => {
    const a = await clients();
    const b = await clients();
    const { body: theirs } = await create(b.member, { email: 'secret@b.example', first_name: 'Theirs' });
    const { body: ours } = await create(a.member, { email: 'ours@a.example' });

    expect((await a.viewer.get(`/api/contacts/${theirs.id}`)).status).toBe(404);
    expect((await a.member.patch(`/api/contacts/${theirs.id}`, { first_name: 'Mine' })).status).toBe(404);
    expect((await allContacts(a.viewer)).map((c) => c.id)).toEqual([ours.id]);
    expect(await allContacts(a.viewer, '&q=secret')).toEqual([]);

    // The same email is free in another tenant; an import there updates only its own contact.
    expect((await create(a.member, { email: 'secret@b.example' })).status).toBe(201);
    const imported = await a.member.post('/api/contacts/import', {
      contacts: [{ email: 'SECRET@b.example', first_name: 'Ours now' }],
    });
    expect(imported.body).toMatchObject({ imported: 0, updated: 1 });
    expect((await b.viewer.get(`/api/contacts/${theirs.id}`)).body.first_name).toBe('Theirs');

    // Their segment is not ours to import into.
    const { body: theirSegment } = await b.member.post('/api/segments', { name: 'Theirs' });
    const intoTheirs = await a.member.post(`/api/contacts/import?segment_id=${theirSegment.id}`, {
      contacts: [{ email: 'new@a.example' }],
    });
    expect(intoTheirs.status).toBe(422);
    expect(intoTheirs.body.errors[0]).toMatchObject({ field: 'segment_id', in: 'query' });
    expect(await allContacts(a.viewer, '&q=new@a')).toEqual([]);
    expect((await b.viewer.get(`/api/segments/${theirSegment.id}`)).body.member_count).toBe(0);
  });

  describe('import', () => {
    const jsonRows = [
      { email: 'one@example.com', first_name: 'One', attributes: { tier: 'gold' } },
      { email: 'not-an-email', first_name: 'Two' },
      { email: 'three@example.com', company: 'Three Inc', timezone: 'Nowhere/Land' },
      { email: 'ONE@example.com', first_name: 'Duplicate' },
      { phone: '+33 1 23 45 67 89', first_name: 'Four', vip: true },
      { phone: '+1 555 010 0111', last_name: 'Five' },
      'not a row',
    ];

    it('aborts a JSON import with a bad row: 422 naming each bad row and field, nothing written', async () => {
      const { member, viewer } = await clients();
      const response = await member.post('/api/contacts/import', { contacts: jsonRows });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.errors).toEqual([
        { field: 'contacts.1.email', in: 'body', message: 'expects an email address' },
        { field: 'contacts.2.timezone', in: 'body', message: 'expects an IANA time zone like Europe/Paris' },
        { field: 'contacts.3.email', in: 'body', message: 'repeats the email of row 1' },
        { field: 'contacts.4.vip', in: 'body', message: expect.stringContaining('attributes') },
        { field: 'contacts.6', in: 'body', message: 'expects a contact object' },
      ]);
      expect(await allContacts(viewer)).toEqual([]);
    });

    it('skips bad JSON rows on request and reports them by 1-based row number', async () => {
      const { member, viewer } = await clients();
      const response = await member.post('/api/contacts/import?on_error=skip', { contacts: jsonRows });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        imported: 2,
        updated: 0,
        rejected: [
          { row: 2, field: 'email', message: 'expects an email address' },
          { row: 3, field: 'timezone', message: 'expects an IANA time zone like Europe/Paris' },
          { row: 4, field: 'email', message: 'repeats the email of row 1' },
          { row: 5, field: 'vip', message: expect.stringContaining('attributes') },
          { row: 7, field: 'row', message: 'expects a contact object' },
        ],
        added_to_segment: 0,
      });
      const contacts = await allContacts(viewer);
      expect(contacts.map((c) => c.email ?? c.phone).sort()).toEqual(['+1 555 010 0111', 'one@example.com']);
      expect(byEmail(contacts).get('one@example.com')).toMatchObject({
        first_name: 'One',
        attributes: { tier: 'gold' },
      });
    });

    it('updates existing contacts on a re-import: same contacts, fields kept when empty, status untouched', async () => {
      const { member, viewer } = await clients();
      const { body: existing } = await create(member, {
        email: 'Known@Example.com',
        first_name: 'Known',
        company: 'Old Co',
        attributes: { source: 'form' },
      });
      await member.patch(`/api/contacts/${existing.id}`, { status: 'unsubscribed' });
      const rows = {
        contacts: [
          { email: 'known@example.com', company: 'New Co', attributes: { tier: 'silver', source: null } },
          { email: 'fresh@example.com', first_name: 'Fresh' },
          { phone: '+1 555 010 0122', first_name: 'Phone only' },
        ],
      };
      const first = await member.post('/api/contacts/import', rows);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ imported: 2, updated: 1, rejected: [], added_to_segment: 0 });
      const afterFirst = await allContacts(viewer);
      expect(afterFirst).toHaveLength(3);
      expect(byEmail(afterFirst).get('known@example.com')).toMatchObject({
        id: existing.id,
        email: 'Known@Example.com',
        first_name: 'Known',
        company: 'New Co',
        status: 'unsubscribed',
        attributes: { source: 'form', tier: 'silver' },
      });

      const second = await member.post('/api/contacts/import', rows);
      expect(second.body).toEqual({ imported: 0, updated: 3, rejected: [], added_to_segment: 0 });
      const afterSecond = await allContacts(viewer);
      expect(afterSecond.map((c) => c.id).sort()).toEqual(afterFirst.map((c) => c.id).sort());
    });

    it('imports CSV: a header row, a quoted comma, an extra column into attributes, row numbers in errors', async () => {
      const { member, viewer } = await clients();
      const good = [
        'Email,first_name,last_name,company,Favourite Colour',
        'ada@example.com,Ada,Lovelace,"Babbage, Lovelace & Co",green',
        '',
        'alan@example.com,Alan,Turing,"Bletchley Park",',
        ',Grace,Hopper,Navy,blue',
      ].join('\r\n');
      const aborted = await csv(member, good);
      expect(aborted.status).toBe(422);
      expect(aborted.body.errors).toEqual([
        { field: 'row 3.email', in: 'body', message: 'a contact needs an email or a phone' },
      ]);
      expect(await allContacts(viewer)).toEqual([]);

      const skipped = await csv(member, good, '?on_error=skip');
      expect(skipped.status).toBe(200);
      expect(skipped.body).toEqual({
        imported: 2,
        updated: 0,
        rejected: [{ row: 3, field: 'email', message: 'a contact needs an email or a phone' }],
        added_to_segment: 0,
      });
      const contacts = byEmail(await allContacts(viewer));
      expect(contacts.get('ada@example.com')).toMatchObject({
        first_name: 'Ada',
        last_name: 'Lovelace',
        company: 'Babbage, Lovelace & Co',
        attributes: { 'Favourite Colour': 'green' },
      });
      expect(contacts.get('alan@example.com')).toMatchObject({ company: 'Bletchley Park', attributes: {} });

      const invalid = await csv(member, 'email,phone\nok@example.com,\nbad,\n,not a phone\nok@EXAMPLE.com,\n');
      expect(invalid.status).toBe(422);
      expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'row 2.email',
        'row 3.phone',
        'row 4.email',
      ]);
      expect(invalid.body.errors[2].message).toBe('repeats the email of row 1');
      expect(byEmail(await allContacts(viewer)).has('ok@example.com')).toBe(false);
    });

    it('is idempotent: the same CSV twice imports once, then updates every row', async () => {
      const { member, viewer } = await clients();
      const file = 'email,phone,first_name,plan\na@example.com,,A,pro\nb@example.com,,B,\n,+1 555 010 0133,C,free\n';
      const first = await csv(member, file);
      expect(first.body).toEqual({ imported: 3, updated: 0, rejected: [], added_to_segment: 0 });
      const before = await allContacts(viewer);
      const second = await csv(member, file);
      expect(second.body).toEqual({ imported: 0, updated: 3, rejected: [], added_to_segment: 0 });
      const after = await allContacts(viewer);
      expect(after).toHaveLength(3);
      expect(after.map((c) => c.id).sort()).toEqual(before.map((c) => c.id).sort());
      expect(byEmail(after).get('a@example.com')?.attributes).toEqual({ plan: 'pro' });
    });

    it('adds every imported contact to the segment named, once', async () => {
      const { member, viewer } = await clients();
      const { body: segment } = await member.post('/api/segments', { name: 'Imported' });
      const { body: existing } = await create(member, { email: 'old@example.com' });
      const file = 'email,first_name\nold@example.com,Old\nnew@example.com,New\n';
      const first = await csv(member, file, `?segment_id=${segment.id}`);
      expect(first.body).toEqual({
        imported: 1,
        updated: 1,
        rejected: [],
        segment_id: segment.id,
        added_to_segment: 2,
      });
      const again = await csv(member, file, `?segment_id=${segment.id}`);
      expect(again.body).toMatchObject({ imported: 0, updated: 2, added_to_segment: 0 });
      expect((await viewer.get(`/api/segments/${segment.id}`)).body.member_count).toBe(2);
      const members = await allContacts(viewer, `&segment_id=${segment.id}`);
      expect(members.map((c) => c.id)).toContain(existing.id);

      const unknown = await csv(member, file, `?segment_id=${crypto.randomUUID()}`);
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0]).toMatchObject({ field: 'segment_id', in: 'query' });
    });

    it('refuses malformed CSV with 400 naming the line, and bad headers, bodies and options with 422', async () => {
      const { member, viewer } = await clients();
      const unclosed = await csv(member, 'email,first_name\na@example.com,Ann\nb@example.com,"Bob\n');
      expect(unclosed.status).toBe(400);
      expect(unclosed.body.errors[0].field).toBe('line 3');
      expect(unclosed.body.detail).toContain('line 3');
      const ragged = await csv(member, 'email,first_name\na@example.com,Ann\nb@example.com,Bob,extra\n');
      expect(ragged.status).toBe(400);
      expect(ragged.body.errors[0].field).toBe('line 3');

      const cases: [string, string][] = [
        ['', 'body'],
        ['email,first_name\n', 'body'],
        ['first_name,last_name\nAnn,Lee\n', 'header'],
        ['email,Email\na@example.com,b@example.com\n', 'header.email'],
      ];
      for (const [text, field] of cases) {
        const response = await csv(member, text);
        expect(response.status, text).toBe(422);
        expect(response.body.errors[0].field, text).toBe(field);
      }

      const malformedJson = await member.post('/api/contacts/import', '{"contacts": [');
      expect(malformedJson.status).toBe(400);
      const tooMany = await member.post('/api/contacts/import', {
        contacts: Array.from({ length: 10_001 }, (_, i) => ({ email: `p${i}@example.com` })),
      });
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.errors[0].field).toBe('contacts');
      const none = await member.post('/api/contacts/import', { contacts: [] });
      expect(none.status).toBe(422);
      const badOption = await member.post('/api/contacts/import?on_error=ignore', { contacts: [{ email: 'a@b.co' }] });
      expect(badOption.status).toBe(422);
      expect(badOption.body.errors[0]).toMatchObject({ field: 'on_error', in: 'query' });
      expect(await allContacts(viewer)).toEqual([]);
    });

    it('imports 10,000 rows in one request', async () => {
      const { member, viewer } = await clients();
      const lines = Array.from({ length: 10_000 }, (_, i) => `bulk${i}@example.com,Person ${i},${i % 7}`);
      const response = await csv(member, `email,first_name,cohort\n${lines.join('\n')}\n`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ imported: 10_000, updated: 0, rejected: [] });
      const page = await viewer.get('/api/contacts?q=bulk9999@');
      expect(page.body.data).toHaveLength(1);
      expect(page.body.data[0]).toMatchObject({ first_name: 'Person 9999', attributes: { cohort: '3' } });
    });
  });
});
