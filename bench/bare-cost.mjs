import fs from 'node:fs'; import path from 'node:path'; import matter from 'gray-matter';
const dir = process.argv[2]; const t0 = performance.now();
let n = 0;
for (const f of fs.readdirSync(dir)) { const s = fs.readFileSync(path.join(dir, f), 'utf8'); const m = matter(s, {}); n += m.content.length > 0 ? 1 : 0; }
console.log(n, Math.round(performance.now() - t0) + ' ms', Math.round(process.memoryUsage().rss/1e6)+'MB');
