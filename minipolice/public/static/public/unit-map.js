// The map on "Find a Mini Police unit": an enhancement over the list, which stays the page.
// It runs only when Leaflet has loaded (window.L); otherwise the map stays hidden.
const container = document.getElementById("unit-map");
const data = document.getElementById("unit-map-data");

if (container && data && window.L) {
  const markers = JSON.parse(data.textContent);
  container.hidden = false; // Leaflet measures the container, so show it first
  const map = window.L.map(container, { scrollWheelZoom: false });
  window.L.tileLayer(container.dataset.tiles, {
    maxZoom: 18,
    attribution: container.dataset.attribution,
  }).addTo(map);
  const bounds = [];
  for (const unit of markers) {
    const link = document.createElement("a");
    link.href = unit.url;
    link.className = "govuk-link";
    link.textContent = unit.name;
    window.L.marker([unit.lat, unit.lng], { title: unit.name }).addTo(map).bindPopup(link);
    bounds.push([unit.lat, unit.lng]);
  }
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
}
