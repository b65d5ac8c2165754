// The elements of a JSON array read off a byte stream one at a time, each parsed as soon as its
// closing brace arrives. A searchStream answer is `[batch, batch, …]` with up to 10,000 rows a
// batch: reading it this way holds one batch in memory, not the whole answer (300,000 rows of
// daily stats are tens of megabytes of JSON).

/** Scans for top-level elements, keeping string and nesting state across chunk boundaries. */
class ElementScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private opened = false;
  private pending = '';

  /** The complete elements' texts in `text`; the incomplete tail is kept for the next chunk. */
  push(text: string): string[] {
    const elements: string[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      if (c === 34) {
        this.inString = true;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (!this.opened && c === 91) {
          this.opened = true; // the outer array
          continue;
        }
        // A bare object (not an array): the one element.
        this.opened = true;
        if (this.depth === 0) start = i;
        this.depth += 1;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        if (this.depth === 0) continue; // the outer array's end
        this.depth -= 1;
        if (this.depth === 0) {
          elements.push(this.pending + text.slice(start, i + 1));
          this.pending = '';
          start = -1;
        }
      }
    }
    if (this.depth > 0 && start >= 0) this.pending += text.slice(start);
    return elements;
  }

  /** True when the input ended inside an element. */
  get cutOff(): boolean {
    return this.depth > 0 || this.inString;
  }
}

/**
 * Yields each element of the JSON array on `body`, parsed. A body that is one object, not an
 * array, yields that object. Throws SyntaxError when an element is not JSON or the body ends
 * inside one.
 */
export async function* jsonArrayElements(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  const scanner = new ElementScanner();
  for await (const chunk of body) {
    for (const element of scanner.push(decoder.decode(chunk, { stream: true }))) yield JSON.parse(element);
  }
  for (const element of scanner.push(decoder.decode())) yield JSON.parse(element);
  if (scanner.cutOff) throw new SyntaxError('the answer ended inside an element');
}
