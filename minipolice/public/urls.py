from django.urls import path

from minipolice.public import views

app_name = "public"
urlpatterns = [
    # Public: anyone, no sign-in. Published stories only; photos re-check consent.
    path("find/", views.find_index, name="find_index"),
    path("find/<slug:force>/", views.find_units, name="find_units"),
    path("find/<slug:force>/units/<int:pk>/", views.public_unit, name="unit"),
    path("find/<slug:force>/stories/<int:pk>/", views.public_story, name="story"),
    path("find/<slug:force>/photos/<int:pk>/", views.public_photo, name="photo"),
    # Stories: leaders write them, coordinators publish them.
    path("stories/", views.story_list, name="story_list"),
    path("stories/new/", views.story_create, name="story_create"),
    path("stories/review/", views.story_review, name="story_review"),
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/delete/", views.story_delete, name="story_delete"),
    path("stories/<int:pk>/photos/new/", views.photo_add, name="photo_add"),
    path("stories/<int:pk>/photos/<int:photo_pk>/", views.photo_image, name="photo_image"),
    path("stories/<int:pk>/photos/<int:photo_pk>/remove/", views.photo_remove, name="photo_remove"),
    path("stories/<int:pk>/photos/<int:photo_pk>/tags/", views.photo_tags, name="photo_tags"),
    path("stories/<int:pk>/submit/", views.story_submit, name="story_submit"),
    path("stories/<int:pk>/withdraw/", views.story_withdraw, name="story_withdraw"),
    path("stories/<int:pk>/send-back/", views.story_send_back, name="story_send_back"),
    path("stories/<int:pk>/publish/", views.story_publish, name="story_publish"),
    path("stories/<int:pk>/unpublish/", views.story_unpublish, name="story_unpublish"),
]
