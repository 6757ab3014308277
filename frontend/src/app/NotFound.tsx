import { useDocumentTitle } from "@/hooks/useDocumentTitle";
import { Link } from "@/lib/router";

export function NotFound() {
  useDocumentTitle("Página no encontrada");
  return (
    <div className="page page--narrow">
      <h1>Página no encontrada</h1>
      <p>La dirección que buscás no existe.</p>
      <p>
        <Link to="/">Volver al inicio</Link>
      </p>
    </div>
  );
}
