"""The shared API toolkit: fields, permissions, base views, pagination. No models."""
