"""The what-if forecast: weekly features, a KNN model with honest cross-validated errors, a signed artifact."""
