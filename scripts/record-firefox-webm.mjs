#!/usr/bin/env node
// Records test/fixtures/media/firefox-recording.webm: 2.5 s of an animated 160x120 canvas recorded by Firefox ESR's
// MediaRecorder (headless, through puppeteer-core's WebDriver BiDi) the way <faceswap-player> records, with the
// first container type of src/internal/recording.ts that Firefox supports, data every second and requestData()
// until the first chunk. Firefox writes a live layout: a Segment and Clusters of unknown size after an empty
// SeekHead. The committed file is what test/node/disclosure-writers.test.ts tags; run this again to refresh it.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const output = fileURLToPath(new URL('../test/fixtures/media/firefox-recording.webm', import.meta.url));
const browser = await puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', headless: true });
try {
  const page = await browser.newPage();
  // Plain JavaScript run in the page as written.
  const { type, base64 } = await page.evaluate(`(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    document.body.append(canvas);
    const context = canvas.getContext('2d');
    let frame = 0;
    const paint = () => {
      context.fillStyle = 'hsl(' + ((frame * 9) % 360) + ' 60% 50%)';
      context.fillRect(0, 0, 160, 120);
      context.fillStyle = '#fff';
      context.font = '24px sans-serif';
      context.fillText(String(frame++), 20, 70);
    };
    paint();
    const painter = setInterval(paint, 50);
    const type = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
    const recorder = new MediaRecorder(canvas.captureStream(20), { mimeType: type });
    const chunks = [];
    recorder.ondataavailable = (event) => event.data.size > 0 && chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start(1000);
    while (chunks.length === 0) {
      recorder.requestData();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 2500));
    recorder.stop();
    await stopped;
    clearInterval(painter);
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { type, base64: btoa(text) };
  })()`);
  writeFileSync(output, Buffer.from(base64, 'base64'));
  console.log(`${output}: ${type}, ${Buffer.from(base64, 'base64').length} bytes (${(await browser.version()).trim()})`);
} finally {
  await browser.close();
}
