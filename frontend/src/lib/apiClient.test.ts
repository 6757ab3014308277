import { describe, expect, it } from "vitest";
import { installFetchMock } from "@/testing/fetchMock";
import { ApiError, MESSAGES, buildUrl, normalizeErrors, request, resetCsrfToken } from "./apiClient";

describe("request", () => {
  it("sends GET with same-origin credentials and no CSRF token", async () => {
    const api = installFetchMock().on("GET", "/api/auth/me/", { body: { user: { username: "ana" } } });
    await expect(request("/api/auth/me/")).resolves.toEqual({ user: { username: "ana" } });
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]?.headers.get("X-CSRFToken")).toBeNull();
    expect(api.fn.mock.calls[0]?.[1]).toMatchObject({ credentials: "same-origin", method: "GET" });
  });

  it("fetches the CSRF token once, then sends it on unsafe methods", async () => {
    const api = installFetchMock()
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok-1" } })
      .on("POST", "/api/loans/7/approve/", { body: { id: 7 } })
      .on("DELETE", "/api/loans/7/", { status: 204 });

    await request("/api/loans/7/approve/", { method: "POST", body: {} });
    await expect(request("/api/loans/7/", { method: "DELETE" })).resolves.toBeUndefined();

    expect(api.callsTo("GET", "/api/auth/csrf/")).toHaveLength(1);
    const [approve] = api.callsTo("POST", "/api/loans/7/approve/");
    expect(approve?.headers.get("X-CSRFToken")).toBe("tok-1");
    expect(approve?.headers.get("Content-Type")).toBe("application/json");
    expect(api.callsTo("DELETE", "/api/loans/7/")[0]?.headers.get("X-CSRFToken")).toBe("tok-1");
  });

  it("prefers the csrftoken cookie when it is readable", async () => {
    document.cookie = "csrftoken=from-cookie; path=/";
    const api = installFetchMock().on("PATCH", "/api/loans/1/", { body: { id: 1 } });
    await request("/api/loans/1/", { method: "PATCH", body: { full_name: "Ana" } });
    expect(api.callsTo("GET", "/api/auth/csrf/")).toHaveLength(0);
    expect(api.calls[0]?.headers.get("X-CSRFToken")).toBe("from-cookie");
    expect(api.calls[0]?.body).toEqual({ full_name: "Ana" });
  });

  it("skips CSRF when asked (public POST /api/loans/)", async () => {
    const api = installFetchMock().on("POST", "/api/loans/", { status: 201, body: { id: 1 } });
    await request("/api/loans/", { method: "POST", body: {}, csrf: false });
    expect(api.calls.map((call) => call.path)).toEqual(["/api/loans/"]);
    expect(api.calls[0]?.headers.get("X-CSRFToken")).toBeNull();
  });

  it("retries once with a fresh token after a CSRF failure", async () => {
    let tokens = 0;
    const api = installFetchMock()
      .on("GET", "/api/auth/csrf/", () => ({ body: { csrfToken: `tok-${++tokens}` } }))
      .once("POST", "/api/auth/logout/", {
        status: 403,
        body: { errors: { __all__: ["CSRF Failed: CSRF token incorrect."] } },
      })
      .on("POST", "/api/auth/logout/", { status: 204 });

    await request("/api/auth/logout/", { method: "POST" });
    const posts = api.callsTo("POST", "/api/auth/logout/");
    expect(posts.map((call) => call.headers.get("X-CSRFToken"))).toEqual(["tok-1", "tok-2"]);
  });

  it("does not retry a 403 that is not about CSRF", async () => {
    const api = installFetchMock()
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "t" } })
      .on("POST", "/api/loans/1/approve/", { status: 403, body: { errors: { __all__: ["No es staff."] } } });
    await expect(request("/api/loans/1/approve/", { method: "POST" })).rejects.toMatchObject({
      status: 403,
      errors: { __all__: ["No es staff."] },
    });
    expect(api.callsTo("POST", "/api/loans/1/approve/")).toHaveLength(1);
  });

  it("fetches a new token after resetCsrfToken()", async () => {
    let tokens = 0;
    const api = installFetchMock()
      .on("GET", "/api/auth/csrf/", () => ({ body: { csrfToken: `tok-${++tokens}` } }))
      .on("POST", "/api/x/", { body: {} });
    await request("/api/x/", { method: "POST" });
    resetCsrfToken();
    await request("/api/x/", { method: "POST" });
    expect(api.callsTo("POST", "/api/x/").map((call) => call.headers.get("X-CSRFToken"))).toEqual(["tok-1", "tok-2"]);
  });

  it("turns the contract's error body into ApiError.errors", async () => {
    installFetchMock().on("POST", "/api/loans/", {
      status: 400,
      body: { errors: { dni: ["DNI inválido."], __all__: ["Algo general."] } },
    });
    const error = await request("/api/loans/", { method: "POST", csrf: false }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.errors).toEqual({ dni: ["DNI inválido."], __all__: ["Algo general."] });
    expect(apiError.nonFieldErrors).toEqual(["Algo general."]);
    expect(apiError.isNetworkError).toBe(false);
  });

  it("maps a 429 from nginx and a non-JSON 502 to readable messages", async () => {
    installFetchMock()
      .on("POST", "/api/loans/", { status: 429, text: "<html>Too Many Requests</html>" })
      .on("GET", "/api/loans/", { status: 502, text: "<html>Bad Gateway</html>" });
    await expect(request("/api/loans/", { method: "POST", csrf: false })).rejects.toMatchObject({
      status: 429,
      errors: { __all__: [MESSAGES.rateLimited] },
    });
    await expect(request("/api/loans/")).rejects.toMatchObject({ status: 502, errors: { __all__: [MESSAGES.server] } });
  });

  it("reports network failures as status 0", async () => {
    installFetchMock().on("GET", "/api/auth/me/", "network-error");
    const error = (await request("/api/auth/me/").catch((caught: unknown) => caught)) as ApiError;
    expect(error.isNetworkError).toBe(true);
    expect(error.message).toBe(MESSAGES.network);
  });
});

describe("helpers", () => {
  it("builds query strings without empty values", () => {
    expect(buildUrl("/api/loans/", { page: 2, status: "", search: undefined, ordering: "-amount" })).toBe(
      "/api/loans/?page=2&ordering=-amount",
    );
    expect(buildUrl("/api/loans/", { search: "" })).toBe("/api/loans/");
  });

  it("normalizes other error shapes", () => {
    expect(normalizeErrors(403, { detail: "Prohibido." })).toEqual({ __all__: ["Prohibido."] });
    expect(normalizeErrors(400, { errors: { amount: "Muy alto." } })).toEqual({ amount: ["Muy alto."] });
    expect(normalizeErrors(404, null)).toEqual({ __all__: [MESSAGES.notFound] });
    expect(normalizeErrors(413, undefined)).toEqual({ __all__: [MESSAGES.tooLarge] });
  });
});
