/**
 * "/staff" (dashboard) and "/staff/login". The session comes from GET /api/auth/me/;
 * without one, /staff redirects to the login page.
 */
import { useCallback, useEffect, useState } from "react";
import { navigate } from "../../../app/router";
import { ApiError, MESSAGES } from "../../../lib/apiClient";
import { fetchCurrentUser, logout, type StaffUser } from "../api/auth";
import { LoginPage } from "./LoginPage";
import { StaffDashboard } from "./StaffDashboard";

export const STAFF_HOME = "/staff";
export const STAFF_LOGIN = "/staff/login";

type Session = { state: "loading" } | { state: "anonymous" } | { state: "user"; user: StaffUser } | { state: "error"; message: string };

interface StaffAreaProps {
  pathname: string;
}

export function StaffArea({ pathname }: StaffAreaProps) {
  const [session, setSession] = useState<Session>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchCurrentUser(controller.signal).then(
      (user) => setSession(user ? { state: "user", user } : { state: "anonymous" }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setSession({ state: "error", message: error instanceof ApiError ? error.message : MESSAGES.unexpected });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const isLogin = pathname === STAFF_LOGIN;
  const isHome = pathname === STAFF_HOME || pathname === `${STAFF_HOME}/`;

  // The only place that redirects: handlers change the session, and this effect moves to the
  // matching page once that state is committed. Navigating from a handler as well would
  // re-render with the new path but the old session, and the two redirects would ping-pong.
  useEffect(() => {
    if (session.state === "anonymous" && !isLogin) navigate(STAFF_LOGIN, { replace: true });
    else if (session.state === "user" && (isLogin || !isHome)) navigate(STAFF_HOME, { replace: true });
  }, [session.state, isLogin, isHome]);

  const handleLoggedIn = useCallback((user: StaffUser) => setSession({ state: "user", user }), []);

  const handleSessionExpired = useCallback(() => setSession({ state: "anonymous" }), []);

  const handleLogout = useCallback(async () => {
    try {
      await logout();
    } catch (error) {
      // A 401 here means the session was already gone: the outcome is the same.
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
    }
    setSession({ state: "anonymous" });
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
  if (session.state === "anonymous" && isLogin) return <LoginPage onLoggedIn={handleLoggedIn} />;
  if (session.state === "user" && isHome) {
    return <StaffDashboard user={session.user} onLogout={handleLogout} onSessionExpired={handleSessionExpired} />;
  }
  return (
    <p className="page" role="status">
      Cargando…
    </p>
  );
}
