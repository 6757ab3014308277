import { useState } from "react";
import { toApiError } from "@/lib/apiClient";
import type { StaffUser } from "../api/auth";

interface StaffBarProps {
  user: StaffUser;
  onLogout: () => Promise<void>;
}

/** Who is logged in, and "Cerrar sesión" (with its error, if logging out fails). */
export function StaffBar({ user, onLogout }: StaffBarProps) {
  const [error, setError] = useState<string | null>(null);

  async function handleLogout() {
    setError(null);
    try {
      await onLogout();
    } catch (caught) {
      setError(toApiError(caught).message);
    }
  }

  return (
    <div className="staff-bar">
      <div className="staff-bar__inner">
        <span className="staff-bar__user">
          Sesión de <strong>{user.username}</strong>
        </span>
        <button type="button" className="button button--small" onClick={handleLogout}>
          Cerrar sesión
        </button>
      </div>
      {error ? (
        <p className="field__error staff-bar__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
