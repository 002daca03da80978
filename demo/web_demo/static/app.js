// GFLA web demo page: a source person, a target skeleton whose joints drag
// on a canvas, the generated image with its flows and masks, and an
// animation tab. Poses are OpenPose-18 [x / W, y / H], -1 = missing joint.
'use strict';

const state = {
  info: null,
  source: null,        // {source_id, name, width, height, image, pose}
  sourceImage: null,   // the source as an <img>, canvas background
  target: null,        // the target pose (normalised)
  dragging: -1,        // the joint being dragged
  busy: false,         // a generate request in flight
  pending: false,      // another one wanted when it returns
};
const $ = (id) => document.getElementById(id);
const JOINT_RADIUS = 5;
const PICK_RADIUS = 14;
const CANVAS_SIDE = 256;

// -- messages ---------------------------------------------------------------
function showMessage(text, kind = 'error') {
  const box = $('message');
  box.textContent = text;
  box.className = kind;
  box.hidden = false;
}
function clearMessage() { $('message').hidden = true; $('message').textContent = ''; }

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    throw new Error(`the demo server does not answer (${err.message})`);
  }
  let body = null;
  try { body = await response.json(); } catch (err) { /* not JSON */ }
  if (!response.ok) {
    throw new Error((body && body.error) || `${response.status} ${response.statusText}`);
  }
  return body;
}

// -- drawing ----------------------------------------------------------------
function limbColour(i, n) { return `hsl(${Math.round((360 * i) / n)}, 100%, 50%)`; }
const present = (p) => p && p[0] >= 0 && p[1] >= 0;

function drawSkeleton(ctx, pose, w, h, radius = JOINT_RADIUS) {
  const limbs = state.info.limbs;
  ctx.lineWidth = Math.max(1, radius * 0.8);
  limbs.forEach(([a, b], i) => {
    if (!present(pose[a]) || !present(pose[b])) return;
    ctx.strokeStyle = limbColour(i, limbs.length);
    ctx.beginPath();
    ctx.moveTo(pose[a][0] * w, pose[a][1] * h);
    ctx.lineTo(pose[b][0] * w, pose[b][1] * h);
    ctx.stroke();
  });
  pose.forEach((p, j) => {
    if (!present(p)) return;
    ctx.fillStyle = j === state.dragging ? '#ffb300' : '#fff';
    ctx.beginPath();
    ctx.arc(p[0] * w, p[1] * h, radius, 0, 2 * Math.PI);
    ctx.fill();
  });
}

// Canvas size with the source's aspect ratio, at most CANVAS_SIDE a side.
function fitCanvas(canvas) {
  const { width, height } = state.source;
  const scale = CANVAS_SIDE / Math.max(width, height);
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
}

function drawSource() {
  const canvas = $('source-canvas');
  fitCanvas(canvas);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(state.sourceImage, 0, 0, canvas.width, canvas.height);
  drawSkeleton(ctx, state.source.pose, canvas.width, canvas.height, 3);
}

function drawTarget() {
  const canvas = $('pose-canvas');
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.globalAlpha = 0.4;  // the source, faintly: where the body is
  ctx.drawImage(state.sourceImage, 0, 0, canvas.width, canvas.height);
  ctx.globalAlpha = 1;
  drawSkeleton(ctx, state.target, canvas.width, canvas.height);
}

// -- the source ---------------------------------------------------------------
function loadImage(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the source preview did not load'));
    img.src = url;
  });
}

async function setSource(source) {
  state.source = source;
  state.sourceImage = await loadImage(source.image);
  state.target = source.pose.map((p) => p.slice());
  fitCanvas($('pose-canvas'));
  drawSource();
  drawTarget();
  document.querySelectorAll('#source-gallery .chosen, #pose-gallery .chosen')
    .forEach((el) => el.classList.remove('chosen'));
  await generate();
}

async function upload(event) {
  event.preventDefault();
  clearMessage();
  const image = $('image-file').files[0];
  const keypoints = $('keypoints-file').files[0];
  if (!image) { showMessage('Choose a photo to upload first.'); return; }
  const limit = state.info.max_upload_mb * 1024 * 1024;
  for (const file of [image, keypoints]) {
    if (file && file.size > limit) {
      showMessage(`${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MB; ` +
                  `uploads are limited to ${state.info.max_upload_mb} MB`);
      return;
    }
  }
  const form = new FormData();
  form.append('image', image);
  if (keypoints) form.append('keypoints', keypoints);
  $('status').textContent = 'uploading…';
  try {
    await setSource(await api('/api/upload', { method: 'POST', body: form }));
  } catch (err) {
    $('status').textContent = 'upload failed';
    showMessage(err.message);
  }
}

async function selectTestImage(index, element) {
  clearMessage();
  try {
    await setSource(await api('/api/select', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ index }),
    }));
    element.classList.add('chosen');
  } catch (err) { showMessage(err.message); }
}

// -- generation ----------------------------------------------------------------
async function generate() {
  if (!state.source) return;
  if (state.busy) { state.pending = true; return; }
  state.busy = true;
  $('status').textContent = 'generating…';
  const started = performance.now();
  try {
    const result = await api('/api/generate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ source_id: state.source.source_id, pose: state.target }),
    });
    const img = $('result-img');
    img.src = result.image;
    img.dataset.version = String(Number(img.dataset.version) + 1);
    fillStrip('flows', result.flows, 'flow');
    fillStrip('masks', result.masks, 'mask');
    const ms = Math.round(performance.now() - started);
    $('status').textContent = `${result.width}×${result.height}, ${ms} ms`;
  } catch (err) {
    $('status').textContent = 'generation failed';
    showMessage(err.message);
  } finally {
    state.busy = false;
  }
  if (state.pending) { state.pending = false; await generate(); }
}

function fillStrip(id, urls, what) {
  const strip = $(id);
  strip.replaceChildren(...urls.map((url, i) => {
    const img = document.createElement('img');
    img.src = url;
    img.alt = `${what} ${i + 1} of ${urls.length}`;
    return img;
  }));
}

// -- dragging joints ---------------------------------------------------------
function canvasPoint(canvas, event) {
  const rect = canvas.getBoundingClientRect();
  return [(event.clientX - rect.left) * (canvas.width / rect.width),
          (event.clientY - rect.top) * (canvas.height / rect.height)];
}

function nearestJoint(canvas, point) {
  let best = -1;
  let bestDist = PICK_RADIUS;
  state.target.forEach((p, j) => {
    if (!present(p)) return;
    const d = Math.hypot(p[0] * canvas.width - point[0], p[1] * canvas.height - point[1]);
    if (d <= bestDist) { best = j; bestDist = d; }
  });
  return best;
}

function setupDragging() {
  const canvas = $('pose-canvas');
  canvas.addEventListener('pointerdown', (event) => {
    if (!state.source) return;
    state.dragging = nearestJoint(canvas, canvasPoint(canvas, event));
    if (state.dragging >= 0) {
      canvas.setPointerCapture(event.pointerId);
      drawTarget();
    }
  });
  canvas.addEventListener('pointermove', (event) => {
    if (state.dragging < 0) return;
    const [x, y] = canvasPoint(canvas, event);
    const clamp = (v) => Math.min(1, Math.max(0, v));
    state.target[state.dragging] = [clamp(x / canvas.width), clamp(y / canvas.height)];
    drawTarget();
    generate();  // live: at most one request in flight, the latest pose next
  });
  const drop = () => {
    if (state.dragging < 0) return;
    state.dragging = -1;
    drawTarget();
    generate();
  };
  canvas.addEventListener('pointerup', drop);
  canvas.addEventListener('pointercancel', drop);
}

// -- galleries -------------------------------------------------------------------
function buildGalleries() {
  const sources = $('source-gallery');
  const poses = $('pose-gallery');
  for (const item of state.info.gallery) {
    const img = document.createElement('img');
    img.src = `/api/gallery/${item.index}.jpg`;
    img.title = item.name;
    img.alt = item.name;
    img.addEventListener('click', () => selectTestImage(item.index, img));
    sources.appendChild(img);

    const canvas = document.createElement('canvas');
    canvas.width = 48;
    canvas.height = 48;
    canvas.title = `pose of ${item.name}`;
    drawSkeleton(canvas.getContext('2d'), item.pose, 48, 48, 1.5);
    canvas.addEventListener('click', () => {
      if (!state.source) { showMessage('Upload or pick a source person first.'); return; }
      clearMessage();
      state.target = item.pose.map((p) => p.slice());
      poses.querySelectorAll('.chosen').forEach((el) => el.classList.remove('chosen'));
      canvas.classList.add('chosen');
      drawTarget();
      generate();
    });
    poses.appendChild(canvas);
  }
  if (state.info.gallery_message) {
    $('gallery-message').textContent = state.info.gallery_message;
    $('gallery-message').hidden = false;
  }
}

// -- animation ------------------------------------------------------------------
async function animate() {
  clearMessage();
  if (!state.source) { showMessage('Upload or pick a source person first (first tab).'); return; }
  const mode = document.querySelector('input[name="mode"]:checked').value;
  const form = new FormData();
  form.append('source_id', state.source.source_id);
  form.append('mode', mode);
  form.append('fps', $('fps').value || '8');
  form.append('inbetween', $('inbetween').value || '0');
  form.append('pose', JSON.stringify(state.target));
  if ($('frame-h').value && $('frame-w').value) {
    form.append('frame_h', $('frame-h').value);
    form.append('frame_w', $('frame-w').value);
  }
  const file = $('sequence-file').files[0];
  if (mode === 'upload') {
    if (!file) { showMessage('Choose a pose sequence file (.json or .npy).'); return; }
    form.append('sequence', file);
  }
  $('animate-button').disabled = true;
  $('animate-status').textContent = 'rendering…';
  const started = performance.now();
  try {
    const result = await api('/api/animate', { method: 'POST', body: form });
    $('video').src = result.video;
    $('video-link').href = result.video;
    $('video-link').hidden = false;
    const s = ((performance.now() - started) / 1000).toFixed(1);
    $('animate-status').textContent =
      `${result.frames} frames of ${result.width}×${result.height} at ${result.fps} fps, ${s} s`;
  } catch (err) {
    $('animate-status').textContent = 'animation failed';
    showMessage(err.message);
  } finally {
    $('animate-button').disabled = false;
  }
}

// -- start -------------------------------------------------------------------------
function setupTabs() {
  document.querySelectorAll('.tab').forEach((button) => {
    button.addEventListener('click', () => {
      document.querySelectorAll('.tab').forEach((b) => b.classList.toggle('active', b === button));
      document.querySelectorAll('.tab-page').forEach((page) => {
        page.hidden = page.id !== button.dataset.tab;
      });
    });
  });
}

async function start() {
  setupTabs();
  try {
    state.info = await api('/api/info');
  } catch (err) { showMessage(err.message); return; }
  $('model-name').textContent = state.info.config;
  $('animator').textContent = state.info.animator;
  $('limits').textContent = `JPEG, PNG, BMP or WebP, up to ${state.info.max_upload_mb} MB and ` +
    `${state.info.max_side} pixels a side. Without a keypoint file mmpose estimates the pose.`;
  buildGalleries();
  setupDragging();
  $('upload-form').addEventListener('submit', upload);
  $('reset-pose').addEventListener('click', () => {
    if (!state.source) return;
    state.target = state.source.pose.map((p) => p.slice());
    drawTarget();
    generate();
  });
  $('animate-button').addEventListener('click', animate);
  document.body.dataset.ready = 'true';
}

// For tests and the console: where joint j is drawn, in CSS pixels of the
// pose canvas (null when missing).
window.gflaDemo = {
  state,
  jointPoint(j) {
    const canvas = $('pose-canvas');
    const p = state.target && state.target[j];
    if (!present(p)) return null;
    const rect = canvas.getBoundingClientRect();
    return { x: p[0] * rect.width, y: p[1] * rect.height,
             width: rect.width, height: rect.height };
  },
};

start();
