// A consent (OAuth) as a browser goes through it against the local stand-ins: the start answers
// the provider's page and sets the binding cookie; the stand-in's page consents at once and sends
// the browser back to the callback; the callback redirects to the dashboard.
import { expect } from 'vitest';
import type { ApiClient } from './test-api.ts';

/** Starts, and lets the stand-in's consent page answer: where it sends the browser back, and the cookie. */
export async function consent(admin: ApiClient, startPath: string, body?: object) {
  const started = await admin.post(startPath, body);
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const cookie = started.headers.get('set-cookie')!;
  expect(cookie).toMatch(/HttpOnly; SameSite=Lax/);
  const page = await fetch(started.body.authorization_url, { redirect: 'manual' });
  expect(page.status).toBe(302);
  const callback = new URL(page.headers.get('location')!);
  callback.hash = '';
  return { started: started.body, cookie: cookie.split(';')[0]!, setCookie: cookie, callback };
}

/** The browser back at the callback (with the cookie, or from another browser without it). */
export async function comeBack(callback: URL | string, cookie?: string) {
  const answer = await fetch(callback, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const location = answer.headers.get('location') ?? '';
  return { status: answer.status, location, said: decodeURIComponent(location), answer };
}
