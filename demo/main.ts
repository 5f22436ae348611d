import '../src/index.js';

const log = document.querySelector<HTMLOListElement>('#log')!;
const session = document.querySelector('faceswap-session')!;

function entry(name: string, detail: unknown, kind = ''): void {
  const item = document.createElement('li');
  item.className = kind;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  const label = document.createElement('span');
  label.className = 'name';
  label.textContent = name;
  item.append(time, label, document.createTextNode(detail === undefined ? '' : ` ${summarise(detail)}`));
  log.prepend(item);
}

/** Keeps the log readable: long URLs and landmark strings are shortened, blobs shown by size. */
function summarise(detail: unknown): string {
  return JSON.stringify(detail, (_key, value: unknown) => {
    if (value instanceof Blob) return `Blob(${value.type}, ${value.size} bytes)`;
    if (typeof value === 'string' && value.length > 60) return `${value.slice(0, 57)}…`;
    return value;
  });
}

for (const name of [
  'faceswap-state-change',
  'faceswap-live',
  'faceswap-ended',
  'faceswap-source-change',
  'faceswap-token-will-expire',
  'faceswap-recording-start',
  'faceswap-recording-stop',
] as const) {
  document.addEventListener(name, (event) => entry(name, (event as CustomEvent).detail));
}
document.addEventListener('faceswap-error', (event) => entry('faceswap-error', event.detail, 'error'));
document.querySelector('#clear-log')!.addEventListener('click', () => log.replaceChildren());

const language = document.querySelector<HTMLSelectElement>('#lang')!;
language.addEventListener('change', () => {
  document.documentElement.lang = language.value;
  document.documentElement.dir = language.value === 'ar' ? 'rtl' : 'ltr';
});

entry('ready', { state: session.state, endpoint: session.tokenEndpoint });
