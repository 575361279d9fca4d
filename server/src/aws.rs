//! The AWS SDK's configuration, loaded once and shared by every client (Secrets
//! Manager, CloudWatch Logs, S3): the standard chain for region, credentials and
//! endpoints (`AWS_REGION`, keys, profile, instance or task role, `AWS_ENDPOINT_URL`
//! and `AWS_ENDPOINT_URL_<SERVICE>`), over one HTTP client on rustls with ring.
//! Nothing here knows whether it talks to AWS or to an emulator.

use aws_config::timeout::TimeoutConfig;
use aws_config::{Region, SdkConfig};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use std::time::Duration;

/// The SDK's HTTP client on rustls with ring (the TLS stack the rest of the
/// server uses).
pub fn http_client() -> aws_sdk_s3::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new().tls_provider(tls::Provider::Rustls(CryptoMode::Ring)).build_https()
}

/// The SDK configuration from the standard chain; `region` overrides its region.
/// A call that cannot connect gives up after 5 s and a whole operation (with its
/// retries) after 20 s, so start-up never hangs on an unreachable service.
pub async fn sdk_config(region: Option<&str>) -> SdkConfig {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_attempt_timeout(Duration::from_secs(10))
        .operation_timeout(Duration::from_secs(20))
        .build();
    let mut loader =
        aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(http_client()).timeout_config(timeouts);
    if let Some(region) = region {
        loader = loader.region(Region::new(region.to_owned()));
    }
    loader.load().await
}
