"""Planning inputs: OpenStreetMap extracts and household estimates."""
