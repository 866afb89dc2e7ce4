import type { CliInput, CliIo } from './cli-io.js';

const ENTER = new Set(['\r', '\n']);
const ERASE = new Set(['\x7f', '\b']);
const INTERRUPT = '\x03';
const END_OF_INPUT = '\x04';

/** One line typed on a terminal without echo: raw mode, so the characters are never shown. */
function readHidden(input: CliInput, prompt: string, io: CliIo): Promise<string> {
  io.stderr(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      io.stderr('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string | Buffer) => {
      for (const char of String(chunk)) {
        if (ENTER.has(char)) return finish();
        if (char === INTERRUPT || (char === END_OF_INPUT && typed === '')) return finish(new Error('no password given'));
        typed = ERASE.has(char) ? [...typed].slice(0, -1).join('') : typed + char;
      }
    };
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
  });
}

/** The first line of a piped input, without its line end; the empty string when there is none. */
async function readFirstLine(input: CliInput): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}

/**
 * A new password: typed twice at a no-echo prompt on a terminal, else the first line of standard
 * input (`echo "$PASSWORD" | labpool user add …`). Refuses an empty one or two that differ.
 */
export async function readNewPassword(io: CliIo, name: string): Promise<string> {
  const input = io.stdin;
  if (input === undefined) throw new Error('no standard input to read the password from');
  if (input.isTTY !== true) {
    const password = await readFirstLine(input);
    if (password === '') throw new Error('no password on standard input (its first line is the password)');
    return password;
  }
  const password = await readHidden(input, `password for ${name}: `, io);
  if (password === '') throw new Error('no password given');
  const again = await readHidden(input, 'again: ', io);
  if (again !== password) throw new Error('the two passwords differ');
  return password;
}
