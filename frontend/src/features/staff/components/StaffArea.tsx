/**
 * The staff area: "/staff" (list), "/staff/loans/{id}" (detail) and "/staff/login". The session
 * comes from GET /api/auth/me/. Without one, staff pages redirect to the login page, which
 * brings them back to the same address (filters and page included) once logged in; when the
 * session expired on the way, the login page says so.
 */
import { useCallback, useEffect, useState } from "react";
import { ApiError, errorText, toApiError } from "@/lib/apiClient";
import { navigate, useLocation } from "@/lib/router";
import { fetchCurrentUser, logout, type StaffUser } from "../api/auth";
import { STAFF_LOGIN, detailId, isListPath, loginHref, safeNext } from "../paths";
import { clearDraft } from "../storage/drafts";
import { LoanDetailPage } from "./LoanDetailPage";
import { LoginPage } from "./LoginPage";
import { StaffBar } from "./StaffBar";
import { StaffDashboard } from "./StaffDashboard";
import "../staff.css";

type Session =
  | { state: "loading" }
  | { state: "anonymous"; expired: boolean }
  | { state: "user"; user: StaffUser }
  | { state: "error"; message: string };

interface StaffAreaProps {
  pathname: string;
}

export function StaffArea({ pathname }: StaffAreaProps) {
  const { href, search } = useLocation();
  const [session, setSession] = useState<Session>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchCurrentUser(controller.signal).then(
      (user) => {
        if (!controller.signal.aborted)
          setSession(user ? { state: "user", user } : { state: "anonymous", expired: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setSession({ state: "error", message: errorText(toApiError(error)) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const isLogin = pathname === STAFF_LOGIN;
  const loanId = detailId(pathname);
  const isKnownPage = isListPath(pathname) || loanId !== null;

  // The only place that redirects: handlers change the session, and this effect moves to the
  // matching page once that state is committed. Navigating from a handler as well would
  // re-render with the new path but the old session, and the two redirects would ping-pong.
  useEffect(() => {
    if (session.state === "anonymous" && !isLogin) navigate(loginHref(href, session.expired), { replace: true });
    else if (session.state === "user" && isLogin) navigate(safeNext(search), { replace: true });
    else if (session.state === "user" && !isKnownPage) navigate("/staff", { replace: true });
  }, [session, isLogin, isKnownPage, href, search]);

  const handleLoggedIn = useCallback((user: StaffUser) => setSession({ state: "user", user }), []);

  const handleSessionExpired = useCallback(() => setSession({ state: "anonymous", expired: true }), []);

  const handleLogout = useCallback(async () => {
    try {
      await logout();
    } catch (error) {
      // A 401 here means the session was already gone: the outcome is the same.
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
    }
    clearDraft();
    setSession({ state: "anonymous", expired: false });
  }, []);

  if (session.state === "error") {
    return (
      <div className="page page--narrow">
        <h1>No pudimos verificar tu sesión</h1>
        <p role="alert">{session.message}</p>
        <button type="button" className="button button--primary" onClick={() => setAttempt((n) => n + 1)}>
          Reintentar
        </button>
      </div>
    );
  }
  if (session.state === "anonymous" && isLogin) {
    return <LoginPage onLoggedIn={handleLoggedIn} expired={new URLSearchParams(search).get("expired") === "1"} />;
  }
  if (session.state === "user" && isKnownPage) {
    return (
      <>
        <StaffBar user={session.user} onLogout={handleLogout} />
        {loanId !== null ? (
          <LoanDetailPage key={loanId} id={loanId} onSessionExpired={handleSessionExpired} />
        ) : (
          <StaffDashboard onSessionExpired={handleSessionExpired} />
        )}
      </>
    );
  }
  return (
    <p className="page" role="status">
      Cargando…
    </p>
  );
}
