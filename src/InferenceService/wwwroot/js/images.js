// Two images → the cosine of their embeddings.
import { callJson, failureMessage, setStatus } from './api.js';

export function startImages() {
  const form = document.getElementById('image-form');
  const status = document.getElementById('image-status');
  const meter = document.getElementById('image-meter');
  const inputs = ['image-a', 'image-b'].map((id) => document.getElementById(id));

  for (const input of inputs) {
    const preview = document.getElementById(`${input.id}-preview`);
    input.addEventListener('change', () => {
      const [file] = input.files;
      if (preview.src) {
        URL.revokeObjectURL(preview.src);
      }

      preview.hidden = !file;
      if (file) {
        preview.src = URL.createObjectURL(file);
        preview.alt = `Preview of ${file.name}`;
      }
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const files = inputs.map((input) => input.files[0]);
    if (files.some((file) => !file)) {
      setStatus(status, 'Choose two images.', true);
      return;
    }

    const body = new FormData();
    files.forEach((file) => body.append('image', file, file.name));
    setStatus(status, 'Comparing…');
    meter.hidden = true;
    const result = await callJson('/v1/vision/similarity', { method: 'POST', body });
    if (!result.ok) {
      setStatus(status, failureMessage(result, 'resnet18', 'It is provisioned by the build (dotnet build).'), true);
      return;
    }

    const cosine = result.body.cosine;
    setStatus(status, `Cosine similarity (${result.body.model}): ${cosine.toFixed(4)}`);
    meter.value = cosine;
    meter.textContent = cosine.toFixed(4);
    meter.hidden = false;
  });
}
