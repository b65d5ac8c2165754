// The cookie that binds a consent (OAuth) to the browser that started it: set by a start route,
// read and cleared by its callback. HttpOnly, scoped to the callback's path, SameSite=Lax so the
// provider's redirect back (a top-level GET) carries it.
import type { Context } from 'hono';

export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Sets the binding at the start; Secure when the browser comes back over HTTPS. */
export function setConsentCookie(
  c: Context,
  cookie: { name: string; value: string; path: string; maxAgeSeconds: number; secure: boolean },
): void {
  c.header(
    'set-cookie',
    `${cookie.name}=${cookie.value}; Path=${cookie.path}; Max-Age=${cookie.maxAgeSeconds}; HttpOnly; SameSite=Lax${cookie.secure ? '; Secure' : ''}`,
  );
  c.header('cache-control', 'no-store');
}

/** The callback's answer: the cookie cleared, and a redirect to the dashboard that leaks nothing. */
export function finishConsentRedirect(c: Context, cookie: { name: string; path: string }, location: string) {
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  c.header('set-cookie', `${cookie.name}=; Path=${cookie.path}; Max-Age=0; HttpOnly; SameSite=Lax`);
  return c.redirect(location, 303);
}
