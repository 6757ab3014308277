import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, startEarlyRequests } from "@/app/App";
import "./index.css";

const container = document.getElementById("root");
if (!container) throw new Error("#root is missing from index.html");

startEarlyRequests(window.location.pathname);

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
