// Calls to the service and the pieces of page every panel uses.

/**
 * Fetches a JSON answer. Resolves to { ok: true, body } or { ok: false, status, message }, where message is the
 * problem's detail (RFC 9457), a V2 error's text, or why the service did not answer; it never throws.
 */
export async function callJson(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    return { ok: false, status: 0, message: `The service did not answer (${error.message}).` };
  }

  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (response.ok) {
    return { ok: true, status: response.status, body };
  }

  return { ok: false, status: response.status, message: describeProblem(response, body) };
}

function describeProblem(response, body) {
  if (body && typeof body === 'object') {
    if (body.errors && typeof body.errors === 'object') {
      return Object.values(body.errors).flat().join(' ');
    }

    return body.detail ?? body.error ?? body.title ?? `${response.status} ${response.statusText}`;
  }

  return body || `${response.status} ${response.statusText}`;
}

/** The message for an answer that is not 200; a 404 for the model itself says how to get the model. */
export function failureMessage(result, model, howToGet) {
  if (result.status === 404 && model && result.message.includes(`Unknown model '${model}'`)) {
    return `The model '${model}' is not served here. ${howToGet} (${result.status}: ${result.message})`;
  }

  return result.status ? `${result.status}: ${result.message}` : result.message;
}

export function setStatus(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

/** Fills an <ol class="bars"> with label, a bar for value in [min, max], and the value as format writes it. */
export function renderBars(list, rows, { min = 0, max = 1, format = (value) => value.toFixed(4) } = {}) {
  list.replaceChildren(...rows.map(({ label, value, title }) => {
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'label';
    name.textContent = label;
    if (title) {
      name.title = title;
    }

    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    fill.style.width = `${Math.max(0, Math.min(1, (value - min) / (max - min))) * 100}%`;
    bar.append(fill);

    const number = document.createElement('span');
    number.className = 'value';
    number.textContent = format(value);
    item.append(name, bar, number);
    return item;
  }));
}
