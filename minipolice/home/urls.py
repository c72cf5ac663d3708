from django.urls import path

from minipolice.home import views

# No namespace: the home page is `{% url 'home' %}` everywhere (and LOGIN_REDIRECT_URL).
urlpatterns = [
    path("", views.home, name="home"),
]
