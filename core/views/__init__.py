"""What each page shows, built by pure functions from stored frames and widget values (cached in ui.views)."""
