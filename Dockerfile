# Newsroom: multi-stage build on a maintained Node.js LTS (22) slim image.
#   docker build -t newsroom .
#   docker run -p 3000:3000 -v ./posts:/app/posts:ro -e SITE_URL=https://news.example.com newsroom

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
# MALLOC_ARENA_MAX=2 as in `npm start`: glibc's default of up to eight malloc arenas a
# core, one per busy thread (workers, compression), held 55-70 MB more at 100,000 posts.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    HOST=0.0.0.0 \
    PORT=3000 \
    POSTS_DIR=/app/posts \
    PUBLIC_DIR=/app/public \
    IMAGE_CACHE_DIR=/var/cache/newsroom-images \
    POST_CACHE_DIR=/var/cache/newsroom-posts
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY views ./views
COPY public ./public
COPY posts ./posts
# The app only reads, but for its caches (image variants; what each post file parsed
# into, so a restart reads only changed files): volumes the unprivileged user owns (a
# new volume takes its folder's owner).
RUN mkdir -p /var/cache/newsroom-images /var/cache/newsroom-posts \
    && chown node:node /var/cache/newsroom-images /var/cache/newsroom-posts
VOLUME ["/var/cache/newsroom-images", "/var/cache/newsroom-posts"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: in-flight requests finish, then it exits.
CMD ["node", "dist/server.js"]
