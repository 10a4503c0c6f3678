# syntax=docker/dockerfile:1
# One image for every Canopy app; its argument picks the app, its environment configures it:
#   docker build -t canopy .
#   docker run --rm -p 9000:9000 canopy parent-app
# docker-compose.yml runs the whole topology from this image. It needs BuildKit (the default builder
# since Docker 23) for the cache mount.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Everything at once: `dependency:go-offline` cannot resolve this reactor's own modules before they
# are built, so a poms-only layer would not hold the dependencies. The cache mount below keeps ~/.m2
# between builds instead, which also survives pom edits.
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q package -DskipTests \
    && mkdir -p /out \
    && for app in parent-app child-app example-service; do \
         mkdir -p "/out/$app" \
         && cp "$app/target/$app.jar" /out/ \
         && cp "$app/config.yml" "/out/$app/"; \
       done

FROM eclipse-temurin:17-jre
# curl serves the health checks in docker-compose.yml; the base image no longer ships it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system canopy \
    && useradd --system --gid canopy --home-dir /app --no-create-home canopy
WORKDIR /app
COPY --from=build /out/ /app/
COPY --chmod=0755 docker/entrypoint.sh /usr/local/bin/canopy
USER canopy
# parent-app, child-app and example-service listen on these by default (PORT, CHILD_PORT, SERVICE_PORT).
EXPOSE 9000 9001 8000
ENV JAVA_OPTS=""
ENTRYPOINT ["/usr/local/bin/canopy"]
CMD ["parent-app"]
