// The dashboard's sign-in link: the token in the URL fragment (`/#token=…`), which browsers never
// send to the server, so it stays out of access logs and proxies; the page moves it to session
// storage and clears the address.
import type { Config } from '../config.ts';

export function signInLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/#token=${encodeURIComponent(token)}`;
}

/** This instance's address as a browser on the same machine reaches it. */
export function localUrl(config: Pick<Config, 'host' | 'port'>): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
