"""The bare FastAPI app the capacity bench compares against: one async route, no middleware."""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    async def hello() -> dict[str, str]:
        return {"status": "ok"}

    return app
