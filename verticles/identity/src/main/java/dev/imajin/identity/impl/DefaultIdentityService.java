package dev.imajin.identity.impl;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.FieldError;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.identity.AddFacesRequest;
import dev.imajin.contracts.identity.ConsentKind;
import dev.imajin.contracts.identity.DetectedFace;
import dev.imajin.contracts.identity.EnrolIdentityRequest;
import dev.imajin.contracts.identity.EnrolledFace;
import dev.imajin.contracts.identity.FaceBox;
import dev.imajin.contracts.identity.FaceCandidates;
import dev.imajin.contracts.identity.Identity;
import dev.imajin.contracts.identity.IdentityDeletion;
import dev.imajin.contracts.identity.IdentityPage;
import dev.imajin.contracts.identity.SearchCandidate;
import dev.imajin.contracts.identity.SearchIdentitiesRequest;
import dev.imajin.contracts.identity.SearchResult;
import dev.imajin.contracts.identity.VerifyIdentityRequest;
import dev.imajin.contracts.identity.VerifyResult;
import dev.imajin.identity.IdentityService;
import dev.imajin.inference.face.Face;
import dev.imajin.inference.face.FaceDetector;
import dev.imajin.inference.face.FaceEmbedder;
import dev.imajin.inference.image.Resize;
import dev.imajin.inference.model.ModelCatalog;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelTask;
import dev.imajin.inference.runtime.HostedModels;
import dev.imajin.runtime.Ids;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.config.ImajinConfig;
import dev.imajin.runtime.images.InlineImages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link IdentityService} on the model registry, the GPU Boss and Redis. */
public final class DefaultIdentityService implements IdentityService {
  public static final String SERVICE = "identity";

  /** The worker pool for image decoding, preprocessing and alignment. */
  static final String IO_POOL = "identity-io";

  static final int IO_THREADS = 2;
  static final String DETECTOR_KEY = "identity.detector-model";
  static final String EMBEDDER_KEY = "identity.embedder-model";
  static final String MAX_PIXELS_KEY = "identity.max-input-pixels";
  static final String MAX_QUEUED_KEY = "identity.max-queued";

  /** The threshold when neither the request, the configuration nor the manifest gives one. */
  public static final double FALLBACK_THRESHOLD = 0.45;

  private static final Logger LOG = LoggerFactory.getLogger(DefaultIdentityService.class);

  /** The two models, loaded. */
  private record Models(
      HostedModels.Ready<FaceDetector> detector, HostedModels.Ready<FaceEmbedder> embedder) {}

  /** A face of an image and its embedding. */
  private record Found(Face face, float[] embedding, int facesInImage) {}

  /**
   * What an image shows: how many faces, the largest ones embedded, the embedder, and the threshold
   * its manifest (or the configuration) sets.
   */
  private record Analysis(int facesDetected, List<Found> faces, String model, double threshold) {}

  @FunctionalInterface
  private interface Task<T, R> {
    R run(T model) throws Exception;
  }

  private final WorkerExecutor io;
  private final ModelCatalog catalog;
  private final ImajinConfig.Identity config;
  private final HostedModels models;
  private final IdentityStore store;
  private final Gallery gallery;
  private final AtomicInteger inProgress = new AtomicInteger();

  private DefaultIdentityService(
      Vertx vertx, ServiceContext context, WorkerExecutor io, ModelCatalog catalog) {
    ImajinConfig all = context.config();
    this.io = io;
    this.catalog = catalog;
    this.config = all.identity();
    this.models =
        HostedModels.discovering(
            SERVICE, vertx, context, io, catalog::registry, config.loadWaitMs());
    this.store = new IdentityStore(context.redis());
    this.gallery = new Gallery(store);
  }

  /** Scans the model roots (on a worker) and starts asking the GPU Boss for devices. */
  public static Future<DefaultIdentityService> start(Vertx vertx, ServiceContext context) {
    WorkerExecutor io = vertx.createSharedWorkerExecutor(IO_POOL, IO_THREADS, 10, TimeUnit.MINUTES);
    return ModelCatalog.scan(
            io, context.config().models().paths(), SERVICE, ModelTask.FACE_EMBEDDING)
        .map(catalog -> new DefaultIdentityService(vertx, context, io, catalog))
        .onFailure(e -> io.close());
  }

  // ---- operations

  @Override
  public Future<Identity> enrolIdentity(EnrolIdentityRequest request) {
    String ref = request.externalRef();
    return admitted(
        () ->
            gallery
                .current()
                .compose(
                    now -> {
                      if (ref != null) {
                        Optional<IdentityStore.Stored> holder =
                            now.identities().stream()
                                .filter(i -> ref.equals(i.externalRef()))
                                .findFirst();
                        if (holder.isPresent()) {
                          return Future.failedFuture(refHeld(ref, holder.get().id()));
                        }
                      }
                      return largestFaces(request.images());
                    })
                .compose(
                    found -> {
                      Instant at = now();
                      String id = Ids.next("idn_");
                      IdentityStore.Stored identity =
                          new IdentityStore.Stored(
                              id,
                              0,
                              request.name(),
                              ref,
                              request.consent(),
                              found.model(),
                              stored(found.faces(), at),
                              at,
                              at);
                      return store
                          .enrol(identity)
                          .map(
                              held -> {
                                if (held != null) {
                                  throw refHeld(ref, held);
                                }
                                LOG.info(
                                    "enrolled identity {} ({}, {} faces)",
                                    id,
                                    request.consent().kind(),
                                    identity.faces().size());
                                return identity(identity, true);
                              });
                    }));
  }

  @Override
  public Future<Identity> addFaces(String identityId, AddFacesRequest request) {
    return admitted(
        () ->
            known(identityId)
                .compose(
                    identity ->
                        largestFaces(request.images())
                            .compose(
                                found -> {
                                  if (!found.model().equals(identity.model())) {
                                    return Future.failedFuture(otherModel(identity, found.model()));
                                  }
                                  Instant at = now();
                                  return store.addFaces(
                                      identityId, found.model(), at, stored(found.faces(), at));
                                }))
                .compose(n -> known(identityId))
                .map(identity -> identity(identity, true)));
  }

  @Override
  public Future<Identity> getIdentity(String identityId) {
    return known(identityId).map(identity -> identity(identity, true));
  }

  @Override
  public Future<IdentityPage> listIdentities(
      ConsentKind consent, String owner, int limit, String cursor) {
    long after;
    try {
      after = cursor == null ? 0 : Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      return Future.failedFuture(
          ImajinException.badRequest(
              "cursor '" + cursor + "' is not a next_cursor this service gave"));
    }
    return gallery
        .current()
        .map(
            now -> {
              List<IdentityStore.Stored> matching =
                  now.identities().stream()
                      .filter(i -> i.seq() > after)
                      .filter(i -> consent == null || i.consent().kind() == consent)
                      .filter(i -> owner == null || owner.equals(i.consent().owner()))
                      .limit(limit + 1L)
                      .toList();
              boolean more = matching.size() > limit;
              List<IdentityStore.Stored> page = more ? matching.subList(0, limit) : matching;
              return new IdentityPage(
                  page.stream().map(i -> identity(i, false)).toList(),
                  more ? Long.toString(page.get(page.size() - 1).seq()) : null);
            });
  }

  @Override
  public Future<IdentityDeletion> deleteIdentity(String identityId) {
    return store
        .delete(identityId)
        .map(
            n -> {
              LOG.info("deleted identity {} and erased {} face embeddings", identityId, n);
              return new IdentityDeletion(identityId, n, now());
            });
  }

  @Override
  public Future<VerifyResult> verifyIdentity(String identityId, VerifyIdentityRequest request) {
    return admitted(
        () ->
            known(identityId)
                .compose(
                    identity ->
                        analyse(request.image(), "image", config.maxFaces())
                            .map(
                                a -> {
                                  double threshold =
                                      request.threshold() != null
                                          ? request.threshold()
                                          : a.threshold();
                                  if (a.faces().isEmpty()) {
                                    return new VerifyResult(
                                        identityId,
                                        false,
                                        null,
                                        threshold,
                                        a.facesDetected(),
                                        null);
                                  }
                                  if (!a.model().equals(identity.model())) {
                                    throw otherModel(identity, a.model());
                                  }
                                  Found best = null;
                                  double similarity = -2;
                                  for (Found f : a.faces()) {
                                    double s = Gallery.best(identity, f.embedding());
                                    if (s > similarity) {
                                      similarity = s;
                                      best = f;
                                    }
                                  }
                                  double clamped = clamp(similarity, -1, 1);
                                  return new VerifyResult(
                                      identityId,
                                      clamped >= threshold,
                                      clamped,
                                      threshold,
                                      a.facesDetected(),
                                      detected(best.face()));
                                })));
  }

  @Override
  public Future<SearchResult> searchIdentities(SearchIdentitiesRequest request) {
    int max =
        request.maxCandidates() != null
            ? request.maxCandidates()
            : SearchIdentitiesRequest.DEFAULT_MAX_CANDIDATES;
    return admitted(
        () ->
            analyse(request.image(), "image", config.maxFaces())
                .compose(
                    a ->
                        gallery
                            .current()
                            .map(
                                now -> {
                                  double threshold =
                                      request.threshold() != null
                                          ? request.threshold()
                                          : a.threshold();
                                  List<FaceCandidates> faces = new ArrayList<>();
                                  for (Found f : a.faces()) {
                                    List<SearchCandidate> candidates =
                                        Gallery.search(
                                                now,
                                                a.model(),
                                                f.embedding(),
                                                threshold,
                                                request.consent(),
                                                max)
                                            .stream()
                                            .map(
                                                m ->
                                                    new SearchCandidate(
                                                        m.identity().id(),
                                                        m.identity().name(),
                                                        m.identity().consent().kind(),
                                                        m.identity().consent().owner(),
                                                        clamp(m.similarity(), -1, 1)))
                                            .toList();
                                    faces.add(new FaceCandidates(detected(f.face()), candidates));
                                  }
                                  return new SearchResult(threshold, a.facesDetected(), faces);
                                })));
  }

  // ---- faces

  /**
   * The largest face of each image, one image after another (so one decoded image is held at a
   * time); an image without a face refuses the request, naming it.
   */
  private Future<Analysis> largestFaces(List<ImageData> images) {
    if (images == null || images.isEmpty()) {
      return Future.failedFuture(
          ImajinException.validation(
              "images: at least one face image is required",
              List.of(new FieldError("/images", "must hold at least 1 image"))));
    }
    Future<List<Analysis>> chain = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < images.size(); i++) {
      String field = "images[" + i + "]";
      ImageData image = images.get(i);
      chain =
          chain.compose(
              done ->
                  analyse(image, field, 1)
                      .map(
                          a -> {
                            if (a.faces().isEmpty()) {
                              throw ImajinException.unprocessable(
                                  field
                                      + ": no face was found in the image (the face detector"
                                      + " found none above its score threshold)");
                            }
                            done.add(a);
                            return done;
                          }));
    }
    return chain.map(
        all -> {
          List<Found> faces = new ArrayList<>();
          for (Analysis a : all) {
            faces.add(a.faces().get(0));
          }
          Analysis first = all.get(0);
          return new Analysis(
              all.stream().mapToInt(Analysis::facesDetected).sum(),
              faces,
              first.model(),
              first.threshold());
        });
  }

  /** Decodes the image, finds its faces and embeds the {@code limit} largest. */
  private Future<Analysis> analyse(ImageData data, String field, int limit) {
    return io.executeBlocking(
            () -> InlineImages.decode(data, field, config.maxInputPixels(), MAX_PIXELS_KEY), false)
        .compose(image -> models().compose(m -> analyse(image, m, limit)));
  }

  private Future<Analysis> analyse(BufferedImage image, Models m, int limit) {
    FaceDetector detector = m.detector().model();
    FaceEmbedder embedder = m.embedder().model();
    String model = m.embedder().entry().id();
    double threshold = defaultThreshold(m.embedder().entry());
    return io.executeBlocking(() -> detector.prepare(image), false)
        .compose(
            input ->
                infer(m.detector().entry(), FaceDetector::of, m.detector(), d -> d.detect(input)))
        .compose(
            faces -> {
              List<Face> chosen = Face.largest(faces, limit);
              if (chosen.isEmpty()) {
                return Future.succeededFuture(
                    new Analysis(faces.size(), List.of(), model, threshold));
              }
              return io.executeBlocking(
                      () -> {
                        float[] planes = Resize.planes(image);
                        List<float[]> aligned = new ArrayList<>();
                        for (Face f : chosen) {
                          aligned.add(
                              embedder.align(planes, image.getWidth(), image.getHeight(), f));
                        }
                        return aligned;
                      },
                      false)
                  .compose(
                      aligned ->
                          infer(
                              m.embedder().entry(),
                              FaceEmbedder::of,
                              m.embedder(),
                              e -> e.embed(aligned)))
                  .map(
                      embeddings -> {
                        List<Found> found = new ArrayList<>();
                        for (int i = 0; i < chosen.size(); i++) {
                          found.add(new Found(chosen.get(i), embeddings.get(i), faces.size()));
                        }
                        return new Analysis(faces.size(), found, model, threshold);
                      });
            });
  }

  /**
   * Runs a task on a loaded model; a model unloaded between loading and running (the broker
   * reclaimed it) is loaded once more.
   */
  private <T, R> Future<R> infer(
      ModelEntry entry,
      HostedModels.Reader<T> reader,
      HostedModels.Ready<T> ready,
      Task<T, R> task) {
    return models
        .run(ready, loaded -> task.run(ready.model()))
        .recover(
            e ->
                isConflict(e)
                    ? models
                        .ensure(entry, reader)
                        .compose(again -> models.run(again, loaded -> task.run(again.model())))
                    : Future.failedFuture(e))
        .recover(e -> Future.failedFuture(runFailure(entry.id(), e)));
  }

  private Future<Models> models() {
    Future<ModelEntry> detector =
        catalog.preferred(config.detectorModel(), ModelTask.FACE_DETECTION, DETECTOR_KEY);
    Future<ModelEntry> embedder =
        catalog.preferred(config.embedderModel(), ModelTask.FACE_EMBEDDING, EMBEDDER_KEY);
    return Future.all(detector, embedder)
        .compose(
            both ->
                models
                    .ensure(detector.result(), FaceDetector::of)
                    .compose(
                        d ->
                            models
                                .ensure(embedder.result(), FaceEmbedder::of)
                                .map(e -> new Models(d, e))));
  }

  /** The configured threshold; 0 takes the embedder manifest's {@code same_person}, else 0.45. */
  private double defaultThreshold(ModelEntry embedder) {
    if (config.matchThreshold() > 0) {
      return config.matchThreshold();
    }
    Double manifest =
        embedder.manifest().map(mf -> mf.thresholds().get("same_person")).orElse(null);
    return manifest != null && manifest >= 0 && manifest <= 1 ? manifest : FALLBACK_THRESHOLD;
  }

  // ---- helpers

  /** Counts the request in; refused with 503 when {@code identity.max-queued} are in progress. */
  private <T> Future<T> admitted(java.util.function.Supplier<Future<T>> work) {
    if (inProgress.incrementAndGet() > config.maxQueued()) {
      inProgress.decrementAndGet();
      return Future.failedFuture(
          ImajinException.unavailable(
              SERVICE,
              config.maxQueued() + " requests are in progress (" + MAX_QUEUED_KEY + ")",
              1));
    }
    try {
      return work.get().onComplete(done -> inProgress.decrementAndGet());
    } catch (RuntimeException e) {
      inProgress.decrementAndGet();
      return Future.failedFuture(e);
    }
  }

  private Future<IdentityStore.Stored> known(String identityId) {
    return gallery
        .current()
        .map(
            now ->
                Gallery.find(now, identityId)
                    .orElseThrow(() -> ImajinException.notFound("identity", identityId)));
  }

  private static List<IdentityStore.StoredFace> stored(List<Found> faces, Instant at) {
    List<IdentityStore.StoredFace> out = new ArrayList<>();
    for (int i = 0; i < faces.size(); i++) {
      Found f = faces.get(i);
      out.add(
          new IdentityStore.StoredFace(
              new EnrolledFace(
                  Ids.next("fce_"),
                  box(f.face()),
                  score(f.face()),
                  Math.max(1, f.facesInImage()),
                  at),
              f.embedding(),
              i));
    }
    return out;
  }

  private static Identity identity(IdentityStore.Stored s, boolean withFaces) {
    return new Identity(
        s.id(),
        s.name(),
        s.externalRef(),
        s.consent(),
        s.faces().size(),
        withFaces ? s.faces().stream().map(IdentityStore.StoredFace::face).toList() : null,
        s.model(),
        s.createdAt(),
        s.updatedAt());
  }

  private static DetectedFace detected(Face f) {
    return new DetectedFace(box(f), score(f));
  }

  static FaceBox box(Face f) {
    int x = (int) Math.max(0, Math.floor(f.x1()));
    int y = (int) Math.max(0, Math.floor(f.y1()));
    int w = Math.max(1, Math.round(f.x2() - x));
    int h = Math.max(1, Math.round(f.y2() - y));
    return new FaceBox(x, y, w, h);
  }

  private static double score(Face f) {
    return clamp(Math.round(f.score() * 1e4) / 1e4, 0, 1);
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static ImajinException refHeld(String ref, String id) {
    return ImajinException.conflict(
        "external_ref '" + ref + "' is already enrolled as identity " + id);
  }

  private static ImajinException otherModel(IdentityStore.Stored identity, String model) {
    return ImajinException.conflict(
        "identity "
            + identity.id()
            + " was embedded with '"
            + identity.model()
            + "', and faces are now embedded with '"
            + model
            + "' ("
            + EMBEDDER_KEY
            + "); embeddings of different models cannot be compared: enrol it again");
  }

  private static boolean isConflict(Throwable e) {
    return e instanceof ImajinException ie && ie.type() == ErrorType.CONFLICT;
  }

  /** A failure while a model ran: the host's own problems pass, anything else is a 500. */
  private static ImajinException runFailure(String model, Throwable e) {
    if (e instanceof ImajinException ie) {
      return ie.type() == ErrorType.CONFLICT
          ? ImajinException.unavailable(SERVICE, ie.getMessage(), 1)
          : ie;
    }
    if (e instanceof dev.imajin.inference.model.ModelException) {
      return ImajinException.unprocessable(e.getMessage());
    }
    return new ImajinException(
        ErrorType.INTERNAL,
        "Service '"
            + SERVICE
            + "' failed: face model '"
            + model
            + "' did not run: "
            + (e.getMessage() == null ? e.toString() : e.getMessage()),
        SERVICE,
        List.of(),
        null,
        e);
  }

  @Override
  public Future<Void> devicesReady() {
    return models.ready();
  }

  @Override
  public List<ModelRef> loadedModels() {
    return models.refs();
  }

  @Override
  public Future<Void> close() {
    return models.close().eventually(() -> io.close());
  }
}
