FROM nginx:1.27
RUN apt-get update
RUN apt-get install -y curl
ENV ADMIN_PASSWORD=changeme
COPY site/ /usr/share/nginx/html/
EXPOSE 80
