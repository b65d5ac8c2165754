// The dispatcher's pure part: the UTM link of a post (its retry delay: src/domain/retry-backoff.test.ts).
import { describe, expect, it } from 'vitest';
import { postLink, UTM_SOURCES } from '../src/social/post-link.ts';

describe('the link of a post', () => {
  const utm = { medium: 'social', campaign: 'spring-sale', content: 'hero' };

  it('adds utm_source (the platform), utm_medium, utm_campaign and utm_content', () => {
    expect(postLink('https://shop.example.com/spring', 'facebook', utm)).toBe(
      'https://shop.example.com/spring?utm_source=facebook&utm_medium=social&utm_campaign=spring-sale&utm_content=hero',
    );
    expect(UTM_SOURCES).toEqual({ facebook: 'facebook', instagram: 'instagram', twitter: 'x' });
    expect(postLink('https://shop.example.com', 'twitter', {})).toBe('https://shop.example.com/?utm_source=x');
  });

  it('keeps the query as written and the fragment, and does not add a parameter already there', () => {
    const link = 'https://shop.example.com/s?q=red%20shoes&utm_medium=email&a=1+2#top';
    expect(postLink(link, 'instagram', utm)).toBe(
      'https://shop.example.com/s?q=red%20shoes&utm_medium=email&a=1+2&utm_source=instagram&utm_campaign=spring-sale&utm_content=hero#top',
    );
    const tagged = 'https://shop.example.com/?utm_source=newsletter&utm_medium=x&utm_campaign=c&utm_content=d';
    expect(postLink(tagged, 'facebook', utm)).toBe(tagged);
  });

  it('encodes values, leaves out empty ones, and uses a link it cannot parse as written', () => {
    expect(postLink('https://a.example/', 'twitter', { medium: ' ', campaign: 'Spring & Summer', content: null })).toBe(
      'https://a.example/?utm_source=x&utm_campaign=Spring+%26+Summer',
    );
    expect(postLink(null, 'facebook', utm)).toBeUndefined();
    expect(postLink('  ', 'facebook', utm)).toBeUndefined();
    expect(postLink('shop.example.com/spring', 'facebook', utm)).toBe('shop.example.com/spring');
    expect(postLink('mailto:sales@example.com', 'facebook', utm)).toBe('mailto:sales@example.com');
  });
});
