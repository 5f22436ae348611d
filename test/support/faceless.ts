/** A smooth two-colour gradient: a real, readable image in which no detector finds a face. */
export function facelessCanvas(width = 320, height = 240, colours: [string, string] = ['#3050a0', '#e0c070']): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, colours[0]);
  gradient.addColorStop(1, colours[1]);
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  return canvas;
}

/** The faceless gradient as a PNG file, as a visitor would upload it. */
export async function facelessFile(name = 'gradient.png', width = 320, height = 240): Promise<File> {
  const canvas = facelessCanvas(width, height);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}
