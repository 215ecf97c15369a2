# One image for the api, the worker and the one-shot migrate job (the command decides which).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build:ui

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
