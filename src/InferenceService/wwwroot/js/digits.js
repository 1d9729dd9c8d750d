// Draw a digit → the image classifier's top 3. The drawing is turned into what MNIST looks like before it is sent:
// white on black, the digit scaled into a 20×20 box and centred by its centre of mass in a 28×28 image.
import { callJson, failureMessage, renderBars, setStatus } from './api.js';

const size = 28;
const box = 20;
const howToGet = 'Train and publish it with the training module (models/mnist), or type the name of another image classifier.';

export function startDigits() {
  const canvas = document.getElementById('digit-canvas');
  const preview = document.getElementById('digit-preview');
  const model = document.getElementById('digit-model');
  const status = document.getElementById('digit-status');
  const list = document.getElementById('digit-predictions');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let drawing = false;
  let last = null;
  let sequence = 0;

  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    preview.getContext('2d').clearRect(0, 0, size, size);
    list.replaceChildren();
    setStatus(status, 'Draw a digit to see the model\'s top 3.');
  };

  const point = (event) => {
    const rect = canvas.getBoundingClientRect();
    return { x: (event.clientX - rect.left) * (canvas.width / rect.width), y: (event.clientY - rect.top) * (canvas.height / rect.height) };
  };

  const line = (from, to) => {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 20;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };

  const classify = async (blob) => {
    const name = model.value.trim();
    const mine = ++sequence;
    setStatus(status, 'Classifying…');
    const form = new FormData();
    form.append('image', blob, 'digit.png');
    const result = await callJson(`/v1/vision/classify/${encodeURIComponent(name)}?k=3`, { method: 'POST', body: form });
    if (mine !== sequence) {
      return;
    }

    if (!result.ok) {
      list.replaceChildren();
      setStatus(status, failureMessage(result, name, howToGet), true);
      return;
    }

    const top = result.body.predictions;
    setStatus(status, `${result.body.model} v${result.body.version}: most likely ${top[0].label}`);
    renderBars(list, top.map((p) => ({ label: p.label, value: p.probability })), { format: probability });
  };

  canvas.addEventListener('pointerdown', (event) => {
    drawing = true;
    last = point(event);
    canvas.setPointerCapture(event.pointerId);
    line(last, last);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (drawing) {
      const next = point(event);
      line(last, next);
      last = next;
    }
  });
  const end = async () => {
    if (!drawing) {
      return;
    }

    drawing = false;
    const blob = await toMnist(canvas, preview);
    if (blob) {
      await classify(blob);
    }
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  document.getElementById('digit-clear').addEventListener('click', clear);
  document.getElementById('digit-file').addEventListener('change', async (event) => {
    const [file] = event.target.files;
    if (file) {
      preview.getContext('2d').clearRect(0, 0, size, size);
      await classify(file);
    }
  });
  clear();
}

/** The drawing as a 28×28 PNG in MNIST's framing (also drawn into the preview); null when nothing is drawn. */
async function toMnist(canvas, preview) {
  const bounds = inkBounds(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height));
  if (!bounds) {
    return null;
  }

  const scale = box / Math.max(bounds.width, bounds.height);
  const width = bounds.width * scale;
  const height = bounds.height * scale;
  const small = document.createElement('canvas');
  small.width = size;
  small.height = size;
  const ctx = small.getContext('2d', { willReadFrequently: true });
  const draw = (x, y) => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, size, size);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(canvas, bounds.x, bounds.y, bounds.width, bounds.height, x, y, width, height);
  };

  const x = (size - width) / 2;
  const y = (size - height) / 2;
  draw(x, y);
  const centre = centreOfMass(ctx.getImageData(0, 0, size, size));
  draw(clamp(x + size / 2 - centre.x, 0, size - width), clamp(y + size / 2 - centre.y, 0, size - height));

  const view = preview.getContext('2d');
  view.clearRect(0, 0, size, size);
  view.drawImage(small, 0, 0);
  return new Promise((resolve) => small.toBlob(resolve, 'image/png'));
}

function inkBounds(image) {
  let left = image.width;
  let top = image.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.data[(y * image.width + x) * 4] > 32) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }

  return right < 0 ? null : { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

function centreOfMass(image) {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const v = image.data[(y * image.width + x) * 4];
      mass += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }

  return mass === 0 ? { x: image.width / 2, y: image.height / 2 } : { x: sx / mass, y: sy / mass };
}

/** Four decimals, or a power of ten for what would read 0.0000. */
function probability(value) {
  return value >= 0.00005 ? value.toFixed(4) : value.toExponential(1);
}

function clamp(value, min, max) {
  return Math.min(max, Math.max(min, value));
}
