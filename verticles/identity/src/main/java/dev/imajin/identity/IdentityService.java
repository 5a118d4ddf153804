package dev.imajin.identity;

import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.identity.AddFacesRequest;
import dev.imajin.contracts.identity.ConsentKind;
import dev.imajin.contracts.identity.EnrolIdentityRequest;
import dev.imajin.contracts.identity.Identity;
import dev.imajin.contracts.identity.IdentityDeletion;
import dev.imajin.contracts.identity.IdentityPage;
import dev.imajin.contracts.identity.SearchIdentitiesRequest;
import dev.imajin.contracts.identity.SearchResult;
import dev.imajin.contracts.identity.VerifyIdentityRequest;
import dev.imajin.contracts.identity.VerifyResult;
import dev.imajin.identity.impl.DefaultIdentityService;
import dev.imajin.runtime.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Face identities with consent records (docs/identity.md), kept in Redis: faces are found with the
 * face detector ({@code identity.detector-model}), aligned onto ArcFace's template and embedded
 * with the face embedder ({@code identity.embedder-model}), both loaded inside GPU Boss leases on
 * first use; faces are compared by cosine similarity against {@code identity.match-threshold} (0:
 * the embedder manifest's {@code same_person}).
 *
 * <p>Methods are called on the verticle's event loop and return at once; image decoding and
 * alignment run on the {@code identity-io} worker pool, inference on the device's pool. Failures
 * are {@link dev.imajin.contracts.ImajinException}s: 400 for invalid base64 or a bad cursor; 404
 * for an unknown identity; 409 for an external ref already enrolled, or an identity embedded with
 * another embedder; 413 for an image that declares more than {@code identity.max-input-pixels}, 422
 * for an image that cannot be decoded or (enrolment) shows no face, each naming the field ({@code
 * images[i]}, {@code image}); 422 for face models that cannot be used; 503 when no face model is
 * installed, before the GPU Boss has listed the node's devices, or when {@code identity.max-queued}
 * requests are in progress. A refused request changes nothing.
 */
public interface IdentityService {

  /** Scans the model roots and starts asking the GPU Boss for the node's devices. */
  static Future<IdentityService> start(Vertx vertx, ServiceContext context) {
    return DefaultIdentityService.start(vertx, context).map(s -> s);
  }

  /** Enrols a new identity from the largest face of each image. */
  Future<Identity> enrolIdentity(EnrolIdentityRequest request);

  /** Adds the largest face of each image to an identity. */
  Future<Identity> addFaces(String identityId, AddFacesRequest request);

  /** One identity with its faces (never the embeddings). */
  Future<Identity> getIdentity(String identityId);

  /**
   * A page of identities, oldest first, optionally of one consent kind or owner.
   *
   * @param cursor the previous page's {@code next_cursor}, or null
   */
  Future<IdentityPage> listIdentities(ConsentKind consent, String owner, int limit, String cursor);

  /** Deletes an identity and erases its embeddings. */
  Future<IdentityDeletion> deleteIdentity(String identityId);

  /** 1:1: whether the image shows the identity. */
  Future<VerifyResult> verifyIdentity(String identityId, VerifyIdentityRequest request);

  /** 1:N: the identities each face of the image resembles. */
  Future<SearchResult> searchIdentities(SearchIdentitiesRequest request);

  /** Succeeds once the GPU Boss has listed the node's devices, so models can load. */
  Future<Void> devicesReady();

  /** The models loaded now, for {@code info}. */
  List<ModelRef> loadedModels();

  /** Unloads the models and releases their leases. */
  Future<Void> close();
}
