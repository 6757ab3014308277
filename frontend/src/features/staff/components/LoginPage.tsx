import { useRef, useState, type FormEvent } from "react";
import { MessageList } from "@/components/MessageList";
import { TextField } from "@/components/TextField";
import { useDocumentTitle } from "@/hooks/useDocumentTitle";
import { toApiError } from "@/lib/apiClient";
import { login, type StaffUser } from "../api/auth";

interface LoginPageProps {
  onLoggedIn: (user: StaffUser) => void;
  /** The session expired on a staff page: say so (staff come back to that page after logging in). */
  expired: boolean;
}

type LoginErrors = { username?: string; password?: string; form: string[] };

/**
 * Staff login. Server messages are shown as they come: bad credentials (400) and too many
 * attempts (429, contract 5) on top of the form, field errors on their fields.
 */
export function LoginPage({ onLoggedIn, expired }: LoginPageProps) {
  useDocumentTitle("Ingreso del personal");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<LoginErrors>({ form: [] });
  const [submitting, setSubmitting] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const next: LoginErrors = { form: [] };
    if (username.trim() === "") next.username = "Ingresá tu usuario.";
    if (password === "") next.password = "Ingresá tu contraseña.";
    if (next.username || next.password) {
      setErrors(next);
      (next.username ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setErrors({ form: [] });
    setSubmitting(true);
    try {
      const user = await login(username.trim(), password);
      onLoggedIn(user);
    } catch (error) {
      const apiError = toApiError(error);
      const fieldErrors: LoginErrors = {
        username: apiError.errors.username?.join(" "),
        password: apiError.errors.password?.join(" "),
        form: Object.entries(apiError.errors)
          .filter(([key]) => key !== "username" && key !== "password")
          .flatMap(([, messages]) => messages),
      };
      if (apiError.status === 400 && fieldErrors.form.length === 0 && !fieldErrors.username && !fieldErrors.password) {
        fieldErrors.form = ["Usuario o contraseña incorrectos."];
      }
      setErrors(fieldErrors);
      setPassword("");
      if (fieldErrors.username) usernameRef.current?.focus();
      else if (fieldErrors.password) passwordRef.current?.focus();
      else alertRef.current?.focus();
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div className="page page--narrow">
      <h1>Ingreso del personal</h1>
      {expired ? (
        <p className="notice" role="status">
          Tu sesión venció. Ingresá de nuevo para seguir donde estabas.
        </p>
      ) : null}
      <form
        className="card form"
        noValidate
        onSubmit={handleSubmit}
        aria-labelledby="login-title"
        aria-busy={submitting}
      >
        <h2 id="login-title" className="visually-hidden">
          Iniciar sesión
        </h2>
        <div ref={alertRef} tabIndex={-1} role="alert" className={errors.form.length > 0 ? "error-summary" : undefined}>
          <MessageList messages={errors.form} />
        </div>
        <TextField
          id="login-username"
          name="username"
          label="Usuario"
          autoComplete="username"
          value={username}
          error={errors.username}
          inputRef={usernameRef}
          onChange={setUsername}
        />
        <TextField
          id="login-password"
          name="password"
          label="Contraseña"
          type="password"
          autoComplete="current-password"
          value={password}
          error={errors.password}
          inputRef={passwordRef}
          onChange={setPassword}
        />
        <button type="submit" className="button button--primary" aria-disabled={submitting}>
          {submitting ? "Ingresando…" : "Ingresar"}
        </button>
      </form>
    </div>
  );
}
