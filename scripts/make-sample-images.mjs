// Sample pictures for public/assets/images/, drawn here so the site has photographs of
// its own to try responsive images on (nothing copied from elsewhere). Each is an SVG
// scene rendered by sharp, with fractal noise at several scales and a fine grain on top,
// so it compresses like a photograph at every width. Seeded: the same files every run.
//
//   node scripts/make-sample-images.mjs [output folder]   (default public/assets/images)
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const OUT = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../public/assets/images'));

/** xorshift32: a small seeded generator, so the pictures are the same on every run. */
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** Noise centred on 128, mostly in brightness with a little colour, as light and film have. */
function noise(width, height, spread, rand, colour = 0.25) {
  const data = Buffer.alloc(width * height * 3);
  const clamp = (v) => Math.max(0, Math.min(255, Math.round(v)));
  for (let i = 0; i < data.length; i += 3) {
    const v = 128 + (rand() - 0.5) * 2 * spread;
    for (let c = 0; c < 3; c++) data[i + c] = clamp(v + (rand() - 0.5) * 2 * spread * colour);
  }
  return { input: data, raw: { width, height, channels: 3 } };
}

/** Noise drawn at a coarse size and enlarged smoothly: clouds, foliage, water texture. */
async function octave(width, height, cells, spread, rand) {
  const w = Math.max(2, Math.round(width / cells));
  const h = Math.max(2, Math.round(height / cells));
  const { input, raw } = noise(w, h, spread, rand);
  const data = await sharp(input, { raw }).resize(width, height, { kernel: 'cubic' }).raw().toBuffer();
  return { input: data, raw: { width, height, channels: 3 } };
}

/** The scene, then texture at four scales (soft light) and sensor grain (overlay), as a sharp pipeline. */
async function photograph(svg, width, height, { seed, grain = 10 }) {
  const rand = random(seed);
  const layers = [];
  for (const [cells, spread] of [[400, 60], [120, 50], [30, 40], [6, 30]]) {
    layers.push({ ...(await octave(width, height, cells * (width / 4000), spread, rand)), blend: 'soft-light' });
  }
  layers.push({ ...noise(width, height, grain, rand), blend: 'overlay' });
  const scene = await sharp(Buffer.from(svg)).resize(width, height).removeAlpha().raw().toBuffer();
  const { data, info } = await sharp(scene, { raw: { width, height, channels: 3 } })
    .composite(layers)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // composite() adds an alpha band; the raw description must say so.
  return sharp(data, { raw: { width, height, channels: info.channels } }).removeAlpha();
}

const svg = (width, height, body) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;

/** Rows of lit windows on a building front. */
function windows(x, y, w, h, rand, colour = '#ffd98a') {
  let out = '';
  for (let wy = y + 30; wy < y + h - 40; wy += 55) {
    for (let wx = x + 20; wx < x + w - 30; wx += 45) {
      if (rand() < 0.55) out += `<rect x="${wx}" y="${wy}" width="22" height="30" fill="${colour}" opacity="${(0.4 + rand() * 0.6).toFixed(2)}"/>`;
    }
  }
  return out;
}

/** A lighthouse on a headland at dusk, portrait: the camera held upright. */
function lighthouse(width, height) {
  const rand = random(7);
  return svg(width, height, `
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#1d2b53"/><stop offset="0.45" stop-color="#7e4a8c"/>
        <stop offset="0.7" stop-color="#f08a5d"/><stop offset="1" stop-color="#f9d56e"/>
      </linearGradient>
      <linearGradient id="sea" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#b5656b"/><stop offset="1" stop-color="#1b2a41"/>
      </linearGradient>
      <radialGradient id="beam" cx="0.5" cy="0.5" r="0.5">
        <stop offset="0" stop-color="#fff6c8" stop-opacity="0.9"/><stop offset="1" stop-color="#fff6c8" stop-opacity="0"/>
      </radialGradient>
    </defs>
    <rect width="${width}" height="${height * 0.62}" fill="url(#sky)"/>
    <rect y="${height * 0.62}" width="${width}" height="${height * 0.38}" fill="url(#sea)"/>
    <circle cx="${width * 0.72}" cy="${height * 0.6}" r="${width * 0.09}" fill="#ffe29a" opacity="0.85"/>
    <path d="M0 ${height * 0.7} C ${width * 0.3} ${height * 0.6}, ${width * 0.5} ${height * 0.66}, ${width * 0.62} ${height * 0.74} L ${width * 0.62} ${height} L 0 ${height} Z" fill="#22301f"/>
    <path d="M0 ${height * 0.8} C ${width * 0.2} ${height * 0.76}, ${width * 0.4} ${height * 0.82}, ${width * 0.75} ${height * 0.9} L ${width} ${height} L 0 ${height} Z" fill="#141c12"/>
    <polygon points="${width * 0.27},${height * 0.66} ${width * 0.37},${height * 0.66} ${width * 0.345},${height * 0.33} ${width * 0.295},${height * 0.33}" fill="#e9e4da"/>
    ${[0.4, 0.5, 0.6].map((f) => `<rect x="${width * 0.28}" y="${height * f}" width="${width * 0.08}" height="${height * 0.03}" fill="#b23a3a"/>`).join('')}
    <rect x="${width * 0.285}" y="${height * 0.29}" width="${width * 0.07}" height="${height * 0.045}" fill="#2b2b2b"/>
    <ellipse cx="${width * 0.5}" cy="${height * 0.305}" rx="${width * 0.3}" ry="${height * 0.03}" fill="url(#beam)"/>
    ${Array.from({ length: 40 }, () => `<circle cx="${(rand() * width).toFixed(0)}" cy="${(rand() * height * 0.3).toFixed(0)}" r="${(2 + rand() * 4).toFixed(1)}" fill="#fff" opacity="${(rand() * 0.8).toFixed(2)}"/>`).join('')}
  `);
}

/** A council chamber: rows of benches, a dais, tall windows. */
function chamber(width, height) {
  const rand = random(11);
  let benches = '';
  for (let row = 0; row < 6; row++) {
    const y = height * (0.55 + row * 0.07);
    benches += `<rect x="${width * (0.08 - row * 0.012)}" y="${y}" width="${width * (0.84 + row * 0.024)}" height="${height * 0.035}" rx="12" fill="#5a3a22"/>`;
    for (let seat = 0; seat < 14 + row; seat++) {
      if (rand() < 0.7) {
        const x = width * (0.1 + (seat / (14 + row)) * 0.8);
        benches += `<circle cx="${x}" cy="${y - height * 0.02}" r="${height * 0.018}" fill="${['#2d2d3a', '#6b4f3a', '#c9a27e', '#3e5c76'][Math.floor(rand() * 4)]}"/>`;
      }
    }
  }
  return svg(width, height, `
    <defs><linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#d8cbb3"/><stop offset="1" stop-color="#8c7a5b"/></linearGradient>
    <linearGradient id="glass" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#cfe8ff"/><stop offset="1" stop-color="#7aa6c9"/></linearGradient></defs>
    <rect width="${width}" height="${height}" fill="url(#wall)"/>
    ${[0.1, 0.3, 0.62, 0.82].map((f) => `<rect x="${width * f}" y="${height * 0.08}" width="${width * 0.08}" height="${height * 0.36}" rx="${width * 0.04}" fill="url(#glass)"/>`).join('')}
    <rect x="${width * 0.38}" y="${height * 0.3}" width="${width * 0.24}" height="${height * 0.2}" fill="#4a2f1b"/>
    <rect x="${width * 0.44}" y="${height * 0.12}" width="${width * 0.12}" height="${height * 0.16}" fill="#1f3b5a"/>
    <rect y="${height * 0.52}" width="${width}" height="${height * 0.48}" fill="#7a2e2e"/>
    ${benches}
  `);
}

/** A market square: stalls with awnings, a clock tower, a crowd. */
function market(width, height) {
  const rand = random(23);
  let stalls = '';
  const colours = ['#d1495b', '#edae49', '#00798c', '#30638e', '#66a182'];
  for (let i = 0; i < 9; i++) {
    const x = width * (0.02 + i * 0.11);
    const c = colours[i % colours.length];
    stalls += `<rect x="${x}" y="${height * 0.55}" width="${width * 0.1}" height="${height * 0.2}" fill="#6d4c3d"/>`;
    stalls += `<path d="M${x - 10} ${height * 0.55} L${x + width * 0.05} ${height * 0.47} L${x + width * 0.1 + 10} ${height * 0.55} Z" fill="${c}"/>`;
    for (let k = 0; k < 12; k++) stalls += `<circle cx="${x + rand() * width * 0.1}" cy="${height * (0.6 + rand() * 0.05)}" r="${8 + rand() * 14}" fill="${colours[Math.floor(rand() * 5)]}"/>`;
  }
  let crowd = '';
  for (let i = 0; i < 160; i++) {
    const x = rand() * width;
    const y = height * (0.72 + rand() * 0.25);
    const s = 0.6 + (y / height - 0.7) * 2;
    crowd += `<ellipse cx="${x}" cy="${y}" rx="${18 * s}" ry="${45 * s}" fill="${['#263238', '#5d4037', '#455a64', '#8d6e63', '#37474f', '#b0bec5'][Math.floor(rand() * 6)]}"/><circle cx="${x}" cy="${y - 55 * s}" r="${14 * s}" fill="#e0b48c"/>`;
  }
  return svg(width, height, `
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#6fa8dc"/><stop offset="1" stop-color="#dbe9f6"/></linearGradient></defs>
    <rect width="${width}" height="${height * 0.5}" fill="url(#sky)"/>
    ${[0.1, 0.35, 0.6].map((f, i) => `<ellipse cx="${width * f}" cy="${height * (0.12 + i * 0.04)}" rx="${width * 0.12}" ry="${height * 0.04}" fill="#fff" opacity="0.8"/>`).join('')}
    <rect x="0" y="${height * 0.2}" width="${width * 0.3}" height="${height * 0.35}" fill="#b86f52"/>${windows(0, height * 0.2, width * 0.3, height * 0.35, rand, '#2f3e46')}
    <rect x="${width * 0.7}" y="${height * 0.18}" width="${width * 0.3}" height="${height * 0.37}" fill="#c9b79c"/>${windows(width * 0.7, height * 0.18, width * 0.3, height * 0.37, rand, '#354f52')}
    <rect x="${width * 0.44}" y="${height * 0.05}" width="${width * 0.12}" height="${height * 0.5}" fill="#8d7b68"/>
    <circle cx="${width * 0.5}" cy="${height * 0.15}" r="${width * 0.04}" fill="#f5f0e1" stroke="#333" stroke-width="8"/>
    <rect y="${height * 0.55}" width="${width}" height="${height * 0.45}" fill="#9e9582"/>
    ${stalls}${crowd}
  `);
}

/** A rowing eight on a lake, from the bank. */
function regatta(width, height) {
  const rand = random(31);
  let ripples = '';
  for (let i = 0; i < 120; i++) {
    const y = height * (0.5 + rand() * 0.5);
    ripples += `<ellipse cx="${rand() * width}" cy="${y}" rx="${40 + rand() * 160}" ry="${3 + rand() * 5}" fill="#e8f1f5" opacity="${(0.1 + rand() * 0.3).toFixed(2)}"/>`;
  }
  let crew = '';
  for (let i = 0; i < 8; i++) {
    const x = width * (0.28 + i * 0.055);
    crew += `<circle cx="${x}" cy="${height * 0.56}" r="${height * 0.018}" fill="#f2c49b"/><rect x="${x - 14}" y="${height * 0.575}" width="28" height="${height * 0.04}" fill="#c62828"/>`;
    crew += `<line x1="${x}" y1="${height * 0.6}" x2="${x - width * 0.03}" y2="${height * 0.7}" stroke="#3e2723" stroke-width="6"/>`;
  }
  return svg(width, height, `
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#a7c7e7"/><stop offset="1" stop-color="#eef4f8"/></linearGradient>
    <linearGradient id="lake" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5b8fa8"/><stop offset="1" stop-color="#1d3c4f"/></linearGradient></defs>
    <rect width="${width}" height="${height * 0.45}" fill="url(#sky)"/>
    <path d="M0 ${height * 0.45} Q ${width * 0.25} ${height * 0.3} ${width * 0.5} ${height * 0.42} T ${width} ${height * 0.38} L ${width} ${height * 0.47} L 0 ${height * 0.47} Z" fill="#3f6e3a"/>
    <rect y="${height * 0.46}" width="${width}" height="${height * 0.54}" fill="url(#lake)"/>
    ${ripples}
    <path d="M${width * 0.22} ${height * 0.62} L${width * 0.75} ${height * 0.6} L${width * 0.73} ${height * 0.63} L${width * 0.24} ${height * 0.645} Z" fill="#fafafa"/>
    ${crew}
  `);
}

/** A transit map: lines and stations on a transparent background, to lay over any page colour. */
function transitMap(width, height) {
  const lines = [
    ['#e53935', `M80 ${height * 0.2} C ${width * 0.3} ${height * 0.2}, ${width * 0.4} ${height * 0.6}, ${width - 80} ${height * 0.65}`],
    ['#1e88e5', `M${width * 0.15} ${height - 80} L ${width * 0.45} ${height * 0.45} L ${width * 0.6} 80`],
    ['#43a047', `M80 ${height * 0.75} C ${width * 0.35} ${height * 0.9}, ${width * 0.65} ${height * 0.1}, ${width - 80} ${height * 0.25}`],
  ];
  const stations = [];
  const rand = random(43);
  for (let i = 0; i < 24; i++) stations.push(`<circle cx="${(80 + rand() * (width - 160)).toFixed(0)}" cy="${(80 + rand() * (height - 160)).toFixed(0)}" r="14" fill="#fff" stroke="#212121" stroke-width="6"/>`);
  return svg(width, height, `
    <rect x="20" y="20" width="${width - 40}" height="${height - 40}" rx="40" fill="#fffdf7" opacity="0.55"/>
    <path d="M0 ${height * 0.5} Q ${width * 0.5} ${height * 0.35} ${width} ${height * 0.55}" stroke="#90caf9" stroke-width="60" fill="none" opacity="0.7"/>
    ${lines.map(([c, d]) => `<path d="${d}" stroke="${c}" stroke-width="26" fill="none" stroke-linecap="round"/>`).join('')}
    ${stations.join('')}
  `);
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const written = [];
  const save = async (name, image) => {
    const file = path.join(OUT, name);
    await image.toFile(file);
    const meta = await sharp(file).metadata();
    written.push({ name, width: meta.width, height: meta.height, orientation: meta.orientation ?? 1, bytes: fs.statSync(file).size });
  };

  // A camera original: the scene is portrait, stored sideways (4000x3000) with EXIF
  // Orientation 6 and the GPS position of where it was "taken", as phones and cameras do.
  {
    const [w, h] = [3000, 4000];
    const upright = await photograph(lighthouse(w, h), w, h, { seed: 1, grain: 18 });
    const sideways = await upright.rotate(270).raw().toBuffer();
    await save(
      'lighthouse-at-dusk.jpg',
      sharp(sideways, { raw: { width: h, height: w, channels: 3 } })
        .withExif({
          IFD0: { Make: 'Newsroom', Model: 'Sample Camera', Software: 'make-sample-images', DateTime: '2026:09:14 19:42:07' },
          IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 54/1 3012/100', GPSLongitudeRef: 'E', GPSLongitude: '10/1 44/1 1530/100' },
        })
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 92, chromaSubsampling: '4:2:0' }),
    );
  }
  for (const [name, draw, seed] of [
    ['council-chamber.jpg', chamber, 2],
    ['market-square.jpg', market, 3],
    ['rowing-regatta.jpg', regatta, 4],
  ]) {
    const [w, h] = [2400, 1600];
    const picture = await photograph(draw(w, h), w, h, { seed, grain: 8 });
    await save(name, picture.jpeg({ quality: 85, mozjpeg: true }));
  }
  await save('transit-map.png', sharp(Buffer.from(transitMap(1600, 1200))).png({ compressionLevel: 9 }));

  for (const f of written) console.log(`${f.name}\t${f.width}x${f.height}\torientation ${f.orientation}\t${(f.bytes / 1048576).toFixed(2)} MB`);
}

await main();
