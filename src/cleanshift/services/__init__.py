"""Domain services of the control plane; route handlers stay thin over them."""
