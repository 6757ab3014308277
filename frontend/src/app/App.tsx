import { Suspense, lazy, useEffect } from "react";
import { LoanRequestPage } from "../features/loan-request/components/LoanRequestPage";
import { Layout } from "./Layout";
import { NotFound } from "./NotFound";
import { usePathname } from "./router";

// The staff area is loaded on demand: the public page's initial JS stays small.
const StaffArea = lazy(() => import("../features/staff/components/StaffArea").then((module) => ({ default: module.StaffArea })));

function titleFor(pathname: string): string {
  if (pathname === "/") return "Pedí tu préstamo — Préstamos por internet";
  if (pathname === "/staff/login") return "Ingreso del personal — Préstamos por internet";
  if (pathname.startsWith("/staff")) return "Solicitudes — Préstamos por internet";
  return "Página no encontrada — Préstamos por internet";
}

export function App() {
  const pathname = usePathname();

  useEffect(() => {
    document.title = titleFor(pathname);
  }, [pathname]);

  let page;
  if (pathname === "/" || pathname === "/index.html") page = <LoanRequestPage />;
  else if (pathname === "/staff" || pathname.startsWith("/staff/"))
    page = (
      <Suspense
        fallback={
          <p className="page" role="status">
            Cargando…
          </p>
        }
      >
        <StaffArea pathname={pathname} />
      </Suspense>
    );
  else page = <NotFound />;

  return <Layout pathname={pathname}>{page}</Layout>;
}
