// A separate entry script, loaded `async` beside the main bundle (vite.config.ts injects it).
import { startEarlyRequests } from "@/app/earlyRequests";

startEarlyRequests(window.location.pathname);
