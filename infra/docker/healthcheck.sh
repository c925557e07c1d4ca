#!/usr/bin/env bash
# Container HEALTHCHECK: is the readiness probe UP?
# The eclipse-temurin JRE image has neither curl nor wget, and starting a second JVM every few
# seconds would eat into the container's memory limit, so this speaks HTTP/1.1 over bash's
# /dev/tcp. Exit 0: healthy; exit 1: unhealthy (Docker reserves 2).
port="${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}}"
path="/actuator/health/readiness"

probe() {
  { exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\nConnection: close\r\n\r\n' \
    "$path" >&3 || return 1
  local status_line
  IFS= read -r -t 5 status_line <&3 || return 1
  [[ "$status_line" =~ ^HTTP/1\.[01]\ 200 ]]
}

probe || exit 1
